using NotebookRunner.Export;
using NotebookRunner.Notebooks;
using NotebookRunner.Site;

namespace NotebookRunner;

/// <summary>
/// The command line: <c>[--out DIR] (folder | notebook.ipynb)</c> runs notebooks and writes the
/// course site (each page plus index.html); <c>export ...</c> is <see cref="ExportCli"/>. Exit code
/// 0: every cell of every notebook ran; 1: a cell failed or a file was not a notebook; 2: bad arguments.
/// </summary>
public static class RunnerCli
{
    /// <summary>The usage line printed on bad arguments.</summary>
    public const string Usage = "usage: NotebookRunner [--out DIR] <folder-of-notebooks | notebook.ipynb>\n       NotebookRunner export [--out DIR] [--check] <--all | folder-of-notebooks | notebook.ipynb>";

    /// <summary>
    /// Parses <paramref name="args"/>, runs the notebooks and prints progress and the summary to
    /// <paramref name="stdout"/>. The default output folder is artifacts/course/ under the
    /// repository root above the input (or under the current directory outside the repository).
    /// </summary>
    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr)
    {
        if (args.Length > 0 && args[0] == ExportCli.Name)
        {
            return await ExportCli.RunAsync(args[1..], stdout, stderr).ConfigureAwait(false);
        }

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
                    stdout.WriteLine(Usage);
                    return 0;
                case var arg when arg.StartsWith('-') || input is not null:
                    return BadArguments(stderr, $"unexpected argument '{arg}'");
                default:
                    input = args[i];
                    break;
            }
        }

        if (input is null)
        {
            return BadArguments(stderr, "no notebook or folder given");
        }

        if (!File.Exists(input) && !Directory.Exists(input))
        {
            return BadArguments(stderr, $"'{input}' is neither a notebook file nor a folder");
        }

        output ??= Path.Combine(RepoRoot.Find(input) ?? Environment.CurrentDirectory, "artifacts", "course");
        IReadOnlyList<NotebookResult> results = await new CourseRunner(output, stdout)
            .RunAsync(CourseRunner.FindNotebooks(input)).ConfigureAwait(false);
        CourseRunner.WriteSummary(results, stdout);
        stdout.WriteLine($"output: {Path.GetFullPath(output)}");
        foreach (NotebookResult failed in results.Where(r => !r.Succeeded))
        {
            stderr.WriteLine($"FAILED {failed.Failure}");
        }

        return results.All(r => r.Succeeded) ? 0 : 1;
    }

    private static int BadArguments(TextWriter stderr, string problem)
    {
        stderr.WriteLine(problem);
        stderr.WriteLine(Usage);
        return 2;
    }
}
