using System.Globalization;
using NotebookRunner.Kernel;
using NotebookRunner.Notebooks;

namespace NotebookRunner.Site;

/// <summary>
/// Runs notebooks one after the other, each in a fresh kernel — a failing or malformed one does not
/// stop the rest — and writes, per notebook, the executed .ipynb and its HTML page into one output
/// folder, plus the contents page (index.html) that links them.
/// </summary>
public sealed class CourseRunner
{
    private readonly string _outputDirectory;
    private readonly TextWriter _progress;
    private readonly Dictionary<string, KernelTool> _restored = new(StringComparer.Ordinal);

    /// <summary>Creates a runner writing into <paramref name="outputDirectory"/> and reporting to <paramref name="progress"/>.</summary>
    public CourseRunner(string outputDirectory, TextWriter progress)
    {
        _outputDirectory = outputDirectory;
        _progress = progress;
    }

    /// <summary>How long one cell may run.</summary>
    public TimeSpan CellTimeout { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>The notebooks <paramref name="path"/> names: itself if a file, else every *.ipynb in it, in name order.</summary>
    public static IReadOnlyList<string> FindNotebooks(string path) =>
        File.Exists(path)
            ? [path]
            : Directory.GetFiles(path, "*.ipynb").Order(StringComparer.Ordinal).ToArray();

    /// <summary>
    /// Called after each notebook's last cell with its kernel's process ids, while everything the
    /// notebook started is still alive (as in a kernel that has not been restarted) — the moment to
    /// look for what it left running.
    /// </summary>
    public Action<NotebookFile, IReadOnlyList<int>>? AfterNotebook { get; init; }

    /// <summary>
    /// Runs every notebook in <paramref name="paths"/> and writes the contents page (index.html)
    /// listing the course they belong to; the results come back in the same order.
    /// </summary>
    public async Task<IReadOnlyList<NotebookResult>> RunAsync(IEnumerable<string> paths)
    {
        var results = new List<NotebookResult>();
        foreach (string path in paths)
        {
            results.Add(await RunNotebookAsync(path).ConfigureAwait(false));
        }

        if (results.Count > 0)
        {
            // The contents list the whole course (the folders of the notebooks run), so running one
            // notebook again keeps the others' entries.
            string[] course = results.Select(r => Path.GetDirectoryName(Path.GetFullPath(r.Path))!).Distinct()
                .SelectMany(FindNotebooks).ToArray();
            Directory.CreateDirectory(_outputDirectory);
            await File.WriteAllTextAsync(IndexPath, CourseIndex.Render(course, results, _outputDirectory)).ConfigureAwait(false);
        }

        return results;
    }

    /// <summary>Where <see cref="RunAsync"/> writes the contents page.</summary>
    public string IndexPath => Path.Combine(_outputDirectory, CourseNavigation.IndexPage);

    /// <summary>Runs one notebook and writes its .ipynb and .html, also when a cell failed (the error is shown).</summary>
    public async Task<NotebookResult> RunNotebookAsync(string path)
    {
        NotebookFile notebook;
        try
        {
            notebook = NotebookFile.Load(path);
        }
        catch (NotebookFormatException e)
        {
            _progress.WriteLine($"{Path.GetFileName(path)}  refused: {e.Message}");
            return NotebookResult.Refused(path, e.Message);
        }

        NotebookResult result;
        try
        {
            KernelTool tool = await RestoredToolAsync(notebook.Directory).ConfigureAwait(false);
            result = await new NotebookExecutor(tool, _progress) { CellTimeout = CellTimeout, AfterLastCell = AfterNotebook }
                .ExecuteAsync(notebook).ConfigureAwait(false);
        }
        catch (KernelException e)
        {
            _progress.WriteLine($"{notebook.Name}  no kernel: {e.Message}");
            return NotebookResult.Refused(path, $"{notebook.Name}: {e.Message}");
        }

        Directory.CreateDirectory(_outputDirectory);
        string stem = Path.GetFileNameWithoutExtension(path);
        string ipynb = Path.Combine(_outputDirectory, stem + ".ipynb");
        string html = Path.Combine(_outputDirectory, stem + ".html");
        notebook.Save(ipynb);
        await File.WriteAllTextAsync(html, HtmlPage.Render(notebook, CourseNavigation.For(path))).ConfigureAwait(false);

        return new NotebookResult(result.Path, result.CodeCells, result.Cells, result.Seconds, result.Failure)
        {
            KernelStartSeconds = result.KernelStartSeconds,
            NotebookOutputPath = ipynb,
            HtmlOutputPath = html,
        };
    }

    // The pinned kernel, restored once per manifest (a fresh machine installs it here).
    private async Task<KernelTool> RestoredToolAsync(string notebookDirectory)
    {
        KernelTool tool = KernelTool.Locate(notebookDirectory);
        if (!_restored.ContainsKey(tool.ManifestRoot))
        {
            await tool.RestoreAsync(_progress).ConfigureAwait(false);
            _restored[tool.ManifestRoot] = tool;
        }

        return tool;
    }

    /// <summary>Writes the table printed at the end of a run.</summary>
    public static void WriteSummary(IReadOnlyList<NotebookResult> results, TextWriter writer)
    {
        int width = Math.Max("notebook".Length, results.Select(r => r.Name.Length).DefaultIfEmpty(0).Max());
        writer.WriteLine();
        writer.WriteLine($"{"notebook".PadRight(width)}  {"cells",7}  {"seconds",7}  {"kernel start",12}  {"charts",6}  result");
        foreach (NotebookResult r in results)
        {
            string cells = $"{r.Cells.Count(c => c.Succeeded)}/{r.CodeCells}";
            string status = r.Succeeded ? "ok" : r.FailedCell is int n ? $"FAILED at cell {n}" : "REFUSED";
            writer.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{r.Name.PadRight(width)}  {cells,7}  {r.Seconds,7:0.0}  {r.KernelStartSeconds,10:0.0} s  {r.Charts,6}  {status}"));
        }

        writer.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{results.Count} notebook(s), {results.Count(r => r.Succeeded)} ok, {results.Sum(r => r.Seconds):0.0} s"));
    }
}
