using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using NotebookRunner.Notebooks;
using NotebookRunner.Site;
using SocketsNotebooks.Charts;
using Xunit.Abstractions;

namespace NotebookRunner.Tests;

/// <summary>
/// The course as a site, from the shared course run: the contents page, the links between pages,
/// and every page opened in a real browser (headless Chromium, no network).
/// </summary>
[Collection(CourseCollection.Name)]
public sealed class CourseSiteTests(CourseRun course, ITestOutputHelper output)
{
    [Fact]
    public void Index_EveryNotebookInCourseOrder_LinkedWithItsGoals()
    {
        string index = File.ReadAllText(course.IndexPath);

        int at = 0;
        foreach (NotebookResult result in course.Results)
        {
            string page = Path.GetFileNameWithoutExtension(result.Name) + ".html";
            int link = index.IndexOf($"<a href=\"{page}\">", at, StringComparison.Ordinal);
            Assert.True(link > at, $"index.html does not link {page} after the previous notebook");
            Assert.True(File.Exists(Path.Combine(course.OutputDirectory, page)), $"{page} is linked but missing");
            at = link;
        }

        Assert.Contains($"<title>{CourseIndex.CourseTitle}</title>", index, StringComparison.Ordinal);
        Assert.Equal(course.Results.Count, CountOf(index, "<ul class=\"goals\">"));
    }

    [Fact]
    public void EveryPage_LinksContentsPreviousAndNext()
    {
        string[] pages = course.Results.Select(r => Path.GetFileNameWithoutExtension(r.Name) + ".html").ToArray();
        for (int i = 0; i < pages.Length; i++)
        {
            string html = File.ReadAllText(Path.Combine(course.OutputDirectory, pages[i]));

            // Once above the lesson and once below it.
            Assert.Equal(2, CountOf(html, $"class=\"contents\" href=\"{CourseNavigation.IndexPage}\""));
            Assert.DoesNotContain("README.md\"", html, StringComparison.Ordinal);
            if (i > 0)
            {
                Assert.Contains($"rel=\"prev\" href=\"{pages[i - 1]}\"", html, StringComparison.Ordinal);
            }
            else
            {
                Assert.DoesNotContain("rel=\"prev\"", html, StringComparison.Ordinal);
            }

            if (i < pages.Length - 1)
            {
                Assert.Contains($"rel=\"next\" href=\"{pages[i + 1]}\"", html, StringComparison.Ordinal);
            }
            else
            {
                Assert.DoesNotContain("rel=\"next\"", html, StringComparison.Ordinal);
            }

            Assert.Contains("@media print", html, StringComparison.Ordinal);
        }
    }

    [SkippableFact]
    public async Task EveryPage_InHeadlessChromiumWithoutNetwork_DrawsEveryChartAndLogsNoScriptError()
    {
        RequireChromium();
        string[] pages = [course.IndexPath, .. course.Results.Select(r => r.HtmlOutputPath!)];
        string work = Path.Combine(course.OutputDirectory, "browser-check");

        var clock = Stopwatch.StartNew();
        var checks = new List<PageCheck>();
        foreach (string page in pages)
        {
            checks.Add(await HeadlessChromium.CheckAsync(page, work));
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Chromium check: {pages.Length} pages, {checks.Sum(c => c.Charts.Count)} charts, {clock.Elapsed.TotalSeconds:0.0} s"));
        checks.ForEach(c => output.WriteLine(c.ToString()));

        Assert.All(course.Results, r => Assert.Equal(r.Charts, checks.Single(c => c.Page == Path.GetFileName(r.HtmlOutputPath)).Charts.Count));
        Assert.True(checks.All(c => c.Passed), string.Join("\n", checks.Where(c => !c.Passed)));
    }

    [SkippableFact]
    public async Task HeadlessChromium_PageWithScriptErrorAndUndrawnChart_ReportsBoth()
    {
        RequireChromium();
        string work = Path.Combine(course.OutputDirectory, "browser-selfcheck");
        Directory.CreateDirectory(work);
        string page = Path.Combine(work, "broken.html");

        // A chart as a notebook shows it, on a page without plotly.js: it falls back to the CDN, which is offline.
        string chart = new PlotlyFigure(new JsonArray(new JsonObject { ["type"] = "bar", ["y"] = new JsonArray(1, 2) }), new JsonObject()).ToHtml();
        File.WriteAllText(page, $$"""
            <!DOCTYPE html><html><head><meta charset="utf-8"></head><body>
            {{chart}}
            <script>undefinedFunctionOfTheLesson();</script>
            </body></html>
            """);

        PageCheck check = await HeadlessChromium.CheckAsync(page, Path.Combine(work, "out"));

        output.WriteLine(check.ToString());
        Assert.False(check.Passed);
        Assert.Equal(0, check.Drawn);
        Assert.Contains(check.Errors, e => e.Contains("undefinedFunctionOfTheLesson", StringComparison.Ordinal));
    }

    private static void RequireChromium()
    {
        if (HeadlessChromium.Executable is null)
        {
            // On a developer's machine without it, skip with the reason; in CI it must be there.
            Assert.False(Repository.InCi, "chromium is missing under CI=true: .ci/run installs it (apt-get install chromium)");
            Skip.If(true, "chromium is not installed (apt-get install chromium); the page check needs a real browser");
        }
    }

    private static int CountOf(string text, string part)
    {
        int count = 0;
        for (int at = text.IndexOf(part, StringComparison.Ordinal); at >= 0; at = text.IndexOf(part, at + part.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}
