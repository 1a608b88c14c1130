using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using NotebookRunner.Export;
using NotebookRunner.Notebooks;
using Xunit.Abstractions;

namespace NotebookRunner.Tests;

/// <summary>
/// The committed exports/*.cs: up to date with the notebooks, and each one really runs with
/// <c>dotnet run</c> and draws the same charts the notebook draws in the runner (and, where
/// Chromium is installed, its chart page draws them offline; the browser itself is required under
/// CI by <see cref="CourseSiteTests"/>).
/// </summary>
[Collection(CourseCollection.Name)]
public sealed partial class ExportedAppsTests(CourseRun course, ITestOutputHelper output)
{
    [Fact]
    public void CommittedExports_SameAsExportingTheNotebooksNow()
    {
        var stale = new List<string>();
        foreach (string notebook in Repository.NotebookPaths)
        {
            string committed = Path.Combine(Repository.Exports, FileBasedApp.FileName(notebook));
            string fresh = FileBasedApp.Export(NotebookFile.Load(notebook), Repository.Exports);
            if (!File.Exists(committed) || File.ReadAllText(committed) != fresh)
            {
                stale.Add(Path.GetFileName(committed));
            }
        }

        string[] orphans = Directory.GetFiles(Repository.Exports, "*.cs")
            .Where(cs => !File.Exists(Path.Combine(Repository.Notebooks, Path.GetFileNameWithoutExtension(cs) + ".ipynb")))
            .Select(Path.GetFileName).ToArray()!;
        Assert.True(stale.Count == 0 && orphans.Length == 0,
            $"exports out of date: {string.Join(", ", stale)}; exports without a notebook: {string.Join(", ", orphans)}. " +
            "Run: dotnet run --project lib/NotebookRunner -- export --all");
    }

    [Fact]
    public async Task EveryExportedApp_DotnetRun_ExitsZeroAndWritesTheNotebooksCharts()
    {
        // A copy laid out like the repository (the library's sources, the build settings, the
        // exports), built into its own artifacts folder: nothing lands in the working tree.
        using var mirror = new TestNotebook();
        foreach (string file in new[] { RepoRoot.SolutionFile, "Directory.Build.props", "global.json" })
        {
            File.Copy(Path.Combine(Repository.Root, file), Path.Combine(mirror.Directory, file));
        }

        Repository.CopyFolder(Path.Combine(Repository.Root, "lib", "SocketsNotebooks"), Path.Combine(mirror.Directory, "lib", "SocketsNotebooks"));
        Repository.CopyFolder(Repository.Exports, Path.Combine(mirror.Directory, FileBasedApp.ExportsFolder));

        var failures = new List<string>();
        var total = Stopwatch.StartNew();
        foreach (string notebook in Repository.NotebookPaths)
        {
            string stem = Path.GetFileNameWithoutExtension(notebook);
            var clock = Stopwatch.StartNew();
            (int exit, string log) = await DotnetRunAsync(mirror.Directory, $"{FileBasedApp.ExportsFolder}/{stem}.cs");
            string chartPage = Path.Combine(mirror.Directory, FileBasedApp.ExportsFolder, stem + ".html");
            int charts = File.Exists(chartPage) ? ChartScript().Matches(File.ReadAllText(chartPage)).Count : 0;
            int expected = course.Result(Path.GetFileName(notebook)).Charts;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{stem}.cs: exit {exit}, {charts} chart(s) (notebook: {expected}), {clock.Elapsed.TotalSeconds:0.0} s"));
            if (exit != 0 || charts != expected)
            {
                failures.Add($"{stem}.cs: exit {exit}, {charts} of {expected} charts\n{Tail(log)}");
            }
            else if (HeadlessChromium.Executable is not null)
            {
                // The README promises the chart page opens offline: open it like the course pages.
                PageCheck drawn = await HeadlessChromium.CheckAsync(chartPage, Path.Combine(mirror.Directory, "browser-check"));
                output.WriteLine("    " + drawn);
                if (!drawn.Passed)
                {
                    failures.Add(drawn.ToString());
                }
            }
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"all exports: {total.Elapsed.TotalSeconds:0.0} s"));
        Assert.True(failures.Count == 0, string.Join("\n\n", failures));
    }

    private static async Task<(int Exit, string Log)> DotnetRunAsync(string directory, string app)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in new[] { "run", app, $"-p:ArtifactsPath={Path.Combine(directory, "artifacts")}" })
        {
            start.ArgumentList.Add(argument);
        }

        // The test host's MSBuild variables would point the child build at this test's build.
        foreach (string name in start.Environment.Keys.Where(k => k.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase)).ToArray())
        {
            start.Environment.Remove(name);
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";

        using var process = Process.Start(start)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        try
        {
            // A first build of a file-based app on two busy cores takes tens of seconds; this
            // bound only stops a hung app from hanging the suite.
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(5));
        }
        catch (TimeoutException)
        {
            process.Kill(entireProcessTree: true);
            return (-1, $"{app} did not finish within 5 minutes\n{await stdout}");
        }

        return (process.ExitCode, await stdout + await stderr);
    }

    private static string Tail(string text) => text.Length <= 4000 ? text : text[^4000..];

    [GeneratedRegex("""<div class="sockets-chart" id="sockets-chart-[0-9a-f]{32}">""")]
    private static partial Regex ChartScript();
}
