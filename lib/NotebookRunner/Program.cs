using System.Text;

namespace NotebookRunner;

/// <summary>
/// <c>dotnet run --project lib/NotebookRunner -- [--out DIR] (notebooks | notebooks/01-echo.ipynb)</c>:
/// runs the notebooks headlessly and writes executed .ipynb files and HTML pages (default:
/// artifacts/course/ under the repository root). Exit code 0: every cell ran; 1: a cell failed or a
/// file was not a notebook; 2: bad arguments. (An <c>export</c> command and an index page are
/// planned: <see cref="CourseRunner"/> returns the results an index needs and
/// <see cref="HtmlPage"/> renders from an .ipynb alone.)
/// </summary>
internal static class Program
{
    private const string Usage = "usage: NotebookRunner [--out DIR] <folder-of-notebooks | notebook.ipynb>";

    private static async Task<int> Main(string[] args)
    {
        Console.OutputEncoding = Encoding.UTF8;
        string? input = null;
        string? output = null;
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--out" when i + 1 < args.Length:
                    output = args[++i];
                    break;
                case "-h" or "--help":
                    Console.WriteLine(Usage);
                    return 0;
                case var arg when arg.StartsWith('-') || input is not null:
                    return BadArguments($"unexpected argument '{arg}'");
                default:
                    input = args[i];
                    break;
            }
        }

        if (input is null)
        {
            return BadArguments("no notebook or folder given");
        }

        if (!File.Exists(input) && !Directory.Exists(input))
        {
            return BadArguments($"'{input}' is neither a notebook file nor a folder");
        }

        output ??= Path.Combine(RepoRoot.Find(input) ?? Environment.CurrentDirectory, "artifacts", "course");

        // Cells write to Console too; the progress writer is the real stdout, taken before any redirect.
        TextWriter progress = Console.Out;
        var runner = new CourseRunner(output, progress);
        IReadOnlyList<NotebookResult> results = await runner.RunAsync(CourseRunner.FindNotebooks(input));
        CourseRunner.WriteSummary(results, progress);
        progress.WriteLine($"output: {Path.GetFullPath(output)}");
        return results.All(r => r.Succeeded) ? 0 : 1;
    }

    private static int BadArguments(string problem)
    {
        Console.Error.WriteLine(problem);
        Console.Error.WriteLine(Usage);
        return 2;
    }
}
