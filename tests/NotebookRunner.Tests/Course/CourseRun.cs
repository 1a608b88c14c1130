using System.Diagnostics;
using NotebookRunner.Notebooks;
using NotebookRunner.Site;

namespace NotebookRunner.Tests;

/// <summary>
/// The whole course, run once in the real kernel for every test that needs a run: the course test,
/// the site and browser checks, the hygiene checks and the exported apps' chart counts (the course
/// takes about half a minute; running it once keeps the suite fast on two cores).
/// </summary>
/// <remarks>
/// The notebooks <c>#r "../artifacts/bin/SocketsNotebooks/debug/SocketsNotebooks.dll"</c>. The run
/// builds nothing: it uses copies of the notebooks in a temporary folder laid out like the
/// repository, whose artifacts/bin/SocketsNotebooks/debug/ holds the library built together with
/// these tests (the runner's ProjectReference builds it into the same artifacts path). So it checks
/// the library of this build, whatever ArtifactsPath was used, and never a stale copy in the
/// repository's artifacts folder (that copy is only the fallback).
/// </remarks>
public sealed class CourseRun : IDisposable
{
    /// <summary>Where the notebooks' <c>#r</c> looks for the library, below the repository root.</summary>
    internal const string LibraryFolder = "artifacts/bin/SocketsNotebooks/debug";
    private readonly TestNotebook _mirror = new();
    private readonly Dictionary<string, IReadOnlyList<string>> _leftListening = new(StringComparer.Ordinal);

    /// <summary>Runs the course; xunit creates one per test collection.</summary>
    public CourseRun()
    {
        Repository.CopyFolder(Repository.Notebooks, Path.Combine(_mirror.Directory, "notebooks"));
        Repository.CopyFolder(LibraryBuild(), Path.Combine(_mirror.Directory, LibraryFolder));

        var progress = new StringWriter();
        var runner = new CourseRunner(OutputDirectory, progress)
        {
            // Checked in the notebook's own kernel, while it still runs, as in a kernel nobody restarted.
            AfterNotebook = (notebook, kernel) => _leftListening[notebook.Name] = ListeningSockets.Of(kernel).Order().ToArray(),
        };
        var clock = Stopwatch.StartNew();

        // xunit fixtures have no async constructor; the course runs on the thread pool, so no deadlock.
        Results = Task.Run(() => runner.RunAsync(CourseRunner.FindNotebooks(Path.Combine(_mirror.Directory, "notebooks"))))
            .GetAwaiter().GetResult();
        Seconds = clock.Elapsed.TotalSeconds;
        CourseRunner.WriteSummary(Results, progress);
        Progress = progress.ToString();
        KernelsAfterCourse = KernelProcesses.WorkingIn(Path.Combine(_mirror.Directory, "notebooks"));
        IndexPath = runner.IndexPath;
    }

    /// <summary>The rendered site: one page per notebook and index.html.</summary>
    public string OutputDirectory => _mirror.OutputDirectory;

    /// <summary>The contents page the run wrote.</summary>
    public string IndexPath { get; }

    /// <summary>Per notebook, in course order.</summary>
    public IReadOnlyList<NotebookResult> Results { get; }

    /// <summary>The runner's progress lines and summary table.</summary>
    public string Progress { get; }

    /// <summary>Wall-clock time of the whole course.</summary>
    public double Seconds { get; }

    /// <summary>Listening sockets in each notebook's kernel, taken after its last cell.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> ListeningAfterNotebook => _leftListening;

    /// <summary>Kernel processes of the course still alive after it (the runner ends each notebook's kernel).</summary>
    public IReadOnlyList<int> KernelsAfterCourse { get; }

    /// <summary>The result for one notebook file name.</summary>
    public NotebookResult Result(string notebookName) => Results.Single(r => r.Name == notebookName);

    /// <inheritdoc/>
    public void Dispose() => _mirror.Dispose();

    /// <summary>The folder of the library built with these tests (or, failing that, the repository's build).</summary>
    internal static string LibraryBuild()
    {
        // <ArtifactsPath>/bin/NotebookRunner.Tests/debug/ → <ArtifactsPath>/bin/SocketsNotebooks/debug/
        string besideTests = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "SocketsNotebooks", "debug"));
        string inRepository = Path.Combine(Repository.Root, LibraryFolder);
        string? found = new[] { besideTests, inRepository }
            .FirstOrDefault(d => File.Exists(Path.Combine(d, "SocketsNotebooks.dll")));
        return found ?? throw new InvalidOperationException(
            $"SocketsNotebooks.dll is in neither {besideTests} nor {inRepository}; build with `dotnet build SocketsNotebooks.sln`");
    }
}
