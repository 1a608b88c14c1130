using NotebookRunner.Notebooks;
using NotebookRunner.Site;

namespace NotebookRunner.Export;

/// <summary>
/// The <c>export</c> subcommand: <c>export [--out DIR] [--check] (--all | folder | notebook.ipynb)</c>
/// writes each notebook as a file-based app (see <see cref="FileBasedApp"/>) into exports/ under the
/// repository root. Exit code 0: written (or, with --check, already up to date); 1: a notebook could
/// not be exported (or, with --check, an export is missing or stale); 2: bad arguments.
/// </summary>
public static class ExportCli
{
    /// <summary>The subcommand's name, the first argument of the runner's command line.</summary>
    public const string Name = "export";

    /// <summary>The usage line printed on bad arguments.</summary>
    public const string Usage = "usage: NotebookRunner export [--out DIR] [--check] <--all | folder-of-notebooks | notebook.ipynb>";

    /// <summary>Parses <paramref name="args"/> (without the leading "export") and exports the notebooks they name.</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr)
    {
        string? input = null;
        string? output = null;
        bool all = false;
        bool check = false;
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--out" when i + 1 < args.Length:
                    output = args[++i];
                    break;
                case "--all":
                    all = true;
                    break;
                case "--check":
                    check = true;
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

        if (all == (input is not null))
        {
            return BadArguments(stderr, all ? "--all and a path cannot go together" : "no notebook or folder given (or --all)");
        }

        if (all)
        {
            string? root = RepoRoot.Find(Environment.CurrentDirectory);
            if (root is null)
            {
                return BadArguments(stderr, $"--all: no {RepoRoot.SolutionFile} at or above {Environment.CurrentDirectory}");
            }

            input = Path.Combine(root, "notebooks");
        }

        if (!File.Exists(input) && !Directory.Exists(input))
        {
            return BadArguments(stderr, $"'{input}' is neither a notebook file nor a folder");
        }

        output ??= Path.Combine(RepoRoot.Find(input!) ?? Environment.CurrentDirectory, FileBasedApp.ExportsFolder);
        Directory.CreateDirectory(output);
        int problems = 0;
        foreach (string notebookPath in CourseRunner.FindNotebooks(input!))
        {
            string target = Path.Combine(output, FileBasedApp.FileName(notebookPath));
            string app;
            try
            {
                app = FileBasedApp.Export(NotebookFile.Load(notebookPath), output);
            }
            catch (NotebookFormatException e)
            {
                problems++;
                stderr.WriteLine(e.Message);
                continue;
            }

            string shown = Path.GetRelativePath(Environment.CurrentDirectory, target);
            if (check)
            {
                bool current = File.Exists(target) && await File.ReadAllTextAsync(target).ConfigureAwait(false) == app;
                problems += current ? 0 : 1;
                stdout.WriteLine(current ? $"up to date: {shown}" : $"STALE: {shown} (run: dotnet run --project lib/NotebookRunner -- export --all)");
            }
            else
            {
                await File.WriteAllTextAsync(target, app).ConfigureAwait(false);
                stdout.WriteLine($"wrote {shown}   (run it: dotnet run {shown})");
            }
        }

        return problems == 0 ? 0 : 1;
    }

    private static int BadArguments(TextWriter stderr, string problem)
    {
        stderr.WriteLine(problem);
        stderr.WriteLine(Usage);
        return 2;
    }
}
