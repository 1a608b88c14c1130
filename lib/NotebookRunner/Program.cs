using System.Text;

namespace NotebookRunner;

/// <summary>Entry point of <c>dotnet run --project lib/NotebookRunner -- notebooks</c>; see <see cref="RunnerCli"/>.</summary>
internal static class Program
{
    private static Task<int> Main(string[] args)
    {
        Console.OutputEncoding = Encoding.UTF8;

        // Cells write to Console too; progress goes to the real stdout, taken before any redirect.
        return RunnerCli.RunAsync(args, Console.Out, Console.Error);
    }
}
