using System.Diagnostics;
using NotebookRunner;

namespace NotebookRunner.Tests;

/// <summary>
/// The whole course, run once for every test that needs a run: the course test, the site and
/// browser checks, the hygiene checks and the exported apps' chart counts (the course takes
/// seconds; running it once keeps the suite fast on two cores).
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
    private const string LibraryFolder = "artifacts/bin/SocketsNotebooks/debug";
    private readonly TestNotebook _mirror = new();
    private readonly Dictionary<string, IReadOnlyList<string>> _leftListening = new(StringComparer.Ordinal);

    /// <summary>Runs the course; xunit creates one per test collection.</summary>
    public CourseRun()
    {
        Repository.CopyFolder(Repository.Notebooks, Path.Combine(_mirror.Directory, "notebooks"));
        Repository.CopyFolder(LibraryBuild(), Path.Combine(_mirror.Directory, LibraryFolder));

        IReadOnlySet<string> before = ListeningSockets.Snapshot();
        var progress = new StringWriter();
        var runner = new CourseRunner(OutputDirectory, progress)
        {
            // Checked while the notebook's state is still alive, as in a kernel nobody restarted.
            AfterNotebook = notebook => _leftListening[notebook.Name] = ListeningSockets.Snapshot().Except(before).Order().ToArray(),
        };
        var clock = Stopwatch.StartNew();

        // xunit fixtures have no async constructor; the course runs on the thread pool, so no deadlock.
        Results = Task.Run(() => runner.RunAsync(CourseRunner.FindNotebooks(Path.Combine(_mirror.Directory, "notebooks"))))
            .GetAwaiter().GetResult();
        Seconds = clock.Elapsed.TotalSeconds;
        CourseRunner.WriteSummary(Results, progress);
        Progress = progress.ToString();
        ListeningAfterCourse = ListeningSockets.Snapshot().Except(before).Order().ToArray();
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

    /// <summary>Listening sockets of this process that were not there before the course, by notebook, taken after its last cell.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> ListeningAfterNotebook => _leftListening;

    /// <summary>Listening sockets of this process that were not there before the course, after the whole course.</summary>
    public IReadOnlyList<string> ListeningAfterCourse { get; }

    /// <summary>The result for one notebook file name.</summary>
    public NotebookResult Result(string notebookName) => Results.Single(r => r.Name == notebookName);

    /// <inheritdoc/>
    public void Dispose() => _mirror.Dispose();

    private static string LibraryBuild()
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
