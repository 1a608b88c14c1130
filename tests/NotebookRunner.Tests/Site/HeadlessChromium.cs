using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace NotebookRunner.Tests;

/// <summary>
/// Opens a page in headless Chromium (Debian's <c>chromium</c>) with no network and reports what a
/// reader would get: which of the page's charts plotly drew, and every script error. A collector
/// script is put in front of everything else on a copy of the page; it records errors
/// (window.onerror, unhandled rejections, console.error) and, once the page has loaded, how many
/// <c>.main-svg</c> elements plotly drew inside each chart's div. <c>--dump-dom</c> hands the DOM
/// back after the scripts ran; Chromium's own console log (stderr) is scanned for errors as well.
/// </summary>
internal static partial class HeadlessChromium
{
    /// <summary>Chromium's executable on PATH, or null.</summary>
    public static string? Executable { get; } = new[] { "chromium", "chromium-browser", "google-chrome" }
        .SelectMany(name => (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Select(dir => Path.Combine(dir, name)))
        .FirstOrDefault(File.Exists);

    /// <summary>The chart divs of a rendered page: the ids of the divs the library's charts draw into.</summary>
    public static IReadOnlyList<string> ChartIds(string html) =>
        NewPlotTarget().Matches(html).Select(m => m.Groups["id"].Value).Distinct().ToArray();

    /// <summary>Opens <paramref name="page"/> (a copy with the collector, in <paramref name="workDirectory"/>) and reports.</summary>
    public static async Task<PageCheck> CheckAsync(string page, string workDirectory)
    {
        string executable = Executable ?? throw new InvalidOperationException("chromium is not installed");
        string html = await File.ReadAllTextAsync(page);
        IReadOnlyList<string> expected = ChartIds(html);

        Directory.CreateDirectory(workDirectory);
        string copy = Path.Combine(workDirectory, Path.GetFileName(page));
        int head = html.IndexOf("<head>", StringComparison.Ordinal);
        Assert.True(head >= 0, $"{page} has no <head>");
        await File.WriteAllTextAsync(copy, html.Insert(head + "<head>".Length, Collector(expected)));

        string profile = Path.Combine(workDirectory, "profile-" + Guid.NewGuid().ToString("N")[..8]);
        var start = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in new[]
        {
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            $"--user-data-dir={profile}",
            // No network: every request that is not a file goes to a proxy nobody listens on.
            "--proxy-server=127.0.0.1:9",
            // Let timers and plotly's drawing run to completion before the DOM is dumped.
            "--virtual-time-budget=5000",
            "--enable-logging=stderr", "--v=0",
            "--dump-dom", new Uri(copy).AbsoluteUri,
        })
        {
            start.ArgumentList.Add(argument);
        }

        using var chromium = Process.Start(start)!;
        Task<string> dom = chromium.StandardOutput.ReadToEndAsync();
        Task<string> log = chromium.StandardError.ReadToEndAsync();
        try
        {
            await chromium.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(90));
        }
        catch (TimeoutException)
        {
            chromium.Kill(entireProcessTree: true);
            throw new TimeoutException($"chromium did not finish {page} within 90 s");
        }

        string dumped = await dom;
        string stderr = await log;
        Match report = Report().Match(dumped);
        Assert.True(report.Success, $"no report from the collector in {page}; chromium exit {chromium.ExitCode}, stderr:\n{Tail(stderr)}");
        using JsonDocument json = JsonDocument.Parse(report.Groups["json"].Value);

        var errors = json.RootElement.GetProperty("errors").EnumerateArray().Select(e => e.GetString() ?? "").ToList();
        errors.AddRange(stderr.Split('\n').Where(l => l.Contains(":CONSOLE", StringComparison.Ordinal)
            && (l.Contains("Uncaught", StringComparison.Ordinal) || l.Contains("ERROR:", StringComparison.Ordinal))));
        var svgs = json.RootElement.GetProperty("charts").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt32());
        return new PageCheck(Path.GetFileName(page), expected, svgs, errors);
    }

    private static string Collector(IReadOnlyList<string> chartIds)
    {
        var script = new StringBuilder("<script>(function () {\n");
        script.Append("var errors = [], expected = ").Append(JsonSerializer.Serialize(chartIds)).Append(";\n");
        script.Append("""
            window.addEventListener('error', function (e) { errors.push('error: ' + e.message + ' at ' + e.filename + ':' + e.lineno); });
            window.addEventListener('unhandledrejection', function (e) { errors.push('unhandled rejection: ' + e.reason); });
            var consoleError = console.error;
            console.error = function () { errors.push('console.error: ' + Array.prototype.join.call(arguments, ' ')); consoleError.apply(console, arguments); };
            window.addEventListener('load', function () {
              setTimeout(function () {
                var charts = {};
                expected.forEach(function (id) {
                  var div = document.getElementById(id);
                  charts[id] = div ? div.querySelectorAll('.main-svg').length : -1;
                });
                var report = document.createElement('script');
                report.type = 'application/json';
                report.id = 'page-check';
                report.textContent = JSON.stringify({ errors: errors, charts: charts });
                document.body.appendChild(report);
              }, 1000);
            });
            })();</script>
            """);
        return script.ToString();
    }

    private static string Tail(string text) => text.Length <= 3000 ? text : text[^3000..];

    [GeneratedRegex("""<div class="sockets-chart" id="(?<id>sockets-chart-[0-9a-f]{32})">""")]
    private static partial Regex NewPlotTarget();

    [GeneratedRegex("""<script type="application/json" id="page-check">(?<json>.*?)</script>""", RegexOptions.Singleline)]
    private static partial Regex Report();
}
