using System.Diagnostics;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Xunit.Abstractions;

namespace NotebookRunner.Tests;

/// <summary>
/// Notebook 07 in the real kernel, both ways: as the course run runs it (CI runs as root, so its ladders are
/// captured live), and without the right to capture, where it must say how to allow it and draw the same ladders
/// from the recordings. The second run starts the course runner under <c>setpriv</c>, which takes CAP_NET_RAW and
/// CAP_NET_ADMIN out of the bounding set of the runner and of every process it starts, the kernel included: the
/// real no-rights path, root or not.
/// </summary>
[Collection(CourseCollection.Name)]
public sealed partial class InsideNotebookTests(CourseRun course, ITestOutputHelper output)
{
    private const string Notebook = "07-inside-tcp.ipynb";

    [SkippableFact]
    public void InsideNotebook_CourseRunWithCaptureRights_LaddersCapturedLive()
    {
        RequireRoot();

        string[] titles = [.. course.Result(Notebook).Cells.SelectMany(c => c.Outputs).Select(ChartOutput.HtmlOf).SelectMany(ChartTitles)];

        Assert.Equal(3, titles.Count(t => t.Contains("captured live on lo just now", StringComparison.Ordinal)));
        Assert.Contains(titles, t => t.Contains("Around the first retransmission", StringComparison.Ordinal) && t.Contains("measured just now", StringComparison.Ordinal));
        Assert.DoesNotContain(titles, t => t.Contains("recorded on", StringComparison.Ordinal));
    }

    [SkippableFact]
    public async Task InsideNotebook_WithoutCaptureRights_SaysHowToAllowItAndDrawsTheRecordings()
    {
        RequireRoot();
        string setpriv = OnPath("setpriv") ?? "";
        if (setpriv.Length == 0)
        {
            Assert.False(Repository.InCi, "setpriv (util-linux) is missing under CI=true");
            Skip.If(true, "setpriv (util-linux) is not installed");
        }
        using var mirror = new TestNotebook();
        Directory.CreateDirectory(Path.Combine(mirror.Directory, "notebooks"));
        File.Copy(Path.Combine(Repository.Notebooks, Notebook), Path.Combine(mirror.Directory, "notebooks", Notebook));
        Repository.CopyFolder(CourseRun.LibraryBuild(), Path.Combine(mirror.Directory, CourseRun.LibraryFolder));

        var (exit, log) = await RunWithoutCaptureRightsAsync(setpriv, Path.Combine(mirror.Directory, "notebooks", Notebook), mirror.OutputDirectory);
        output.WriteLine(log);

        Assert.True(exit == 0, $"the runner failed (exit {exit}):\n{log}");
        var cells = ((JsonArray)JsonNode.Parse(File.ReadAllText(Path.Combine(mirror.OutputDirectory, Notebook)))!["cells"]!).OfType<JsonObject>().ToArray();
        string streams = string.Concat(cells.SelectMany(Outputs).Where(o => (string?)o["output_type"] == "stream").Select(o => Text(o["text"])));
        string[] results = [.. cells.SelectMany(Outputs).Select(o => Text(o["data"]?["text/plain"]))];
        string[] titles = [.. cells.SelectMany(Outputs).Select(o => Text(o["data"]?["text/html"])).SelectMany(ChartTitles)];

        Assert.Contains("no live capture here", streams, StringComparison.Ordinal);
        Assert.Contains("sudo setcap cap_net_raw,cap_net_admin+eip", streams, StringComparison.Ordinal);
        Assert.Equal(4, titles.Count(t => t.Contains("recorded on 2026-12-07, Linux 6.18.44-fc-v1300", StringComparison.Ordinal)));
        Assert.DoesNotContain(titles, t => t.Contains("captured live", StringComparison.Ordinal));
        Assert.Contains(titles, t => t.StartsWith("The sender's TCP_INFO during the lossy transfer", StringComparison.Ordinal));
        Assert.True(titles.Length >= 8, $"{titles.Length} charts: {string.Join(" | ", titles)}");
        Assert.Contains(results, r => r.StartsWith("not measured here", StringComparison.Ordinal));
        Assert.Contains(results, r => r.StartsWith("nftables: drop 1% of TCP segments", StringComparison.Ordinal));
        Assert.Contains(results, r => r == "captures, samplers and namespaces still running: 0; servers still running: 0");
    }

    private static async Task<(int Exit, string Log)> RunWithoutCaptureRightsAsync(string setpriv, string notebook, string outputDirectory)
    {
        var start = new ProcessStartInfo(setpriv) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        string runner = Path.Combine(AppContext.BaseDirectory, "NotebookRunner.dll");
        foreach (string arg in new[] { "--bounding-set=-net_raw,-net_admin", "--inh-caps=-net_raw,-net_admin", "dotnet", runner, "--out", outputDirectory, notebook })
        {
            start.ArgumentList.Add(arg);
        }
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        try
        {
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(4));
        }
        catch (TimeoutException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
        return (process.ExitCode, await stdout + await stderr);
    }

    private static void RequireRoot()
    {
        if (!OperatingSystem.IsLinux() || !Environment.IsPrivilegedProcess)
        {
            Assert.False(Repository.InCi, "CI runs as root on Linux: notebook 07's live and no-rights runs must both be checked");
            Skip.If(true, "needs root on Linux (to capture, and to drop the right with setpriv)");
        }
    }

    private static IEnumerable<JsonObject> Outputs(JsonObject cell) => (cell["outputs"] as JsonArray ?? []).OfType<JsonObject>();

    private static string Text(JsonNode? node) => node switch
    {
        JsonArray lines => string.Concat(lines.Select(l => (string?)l)),
        JsonValue value => (string?)value ?? "",
        _ => "",
    };

    private static IEnumerable<string> ChartTitles(string? html) =>
        html is null ? [] : ChartFigure().Matches(html)
            .Select(m => (string?)JsonNode.Parse(m.Groups["figure"].Value)!["layout"]?["title"]?["text"] ?? "");

    private static string? OnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator).Select(dir => Path.Combine(dir, name)).FirstOrDefault(File.Exists);

    [GeneratedRegex(@"<script type=""application/json"" id=""sockets-chart-[0-9a-f]+-figure"">(?<figure>.*?)</script>", RegexOptions.Singleline)]
    private static partial Regex ChartFigure();
}
