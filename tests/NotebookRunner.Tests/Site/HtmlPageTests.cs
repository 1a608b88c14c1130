using System.Text.RegularExpressions;
using NotebookRunner;

namespace NotebookRunner.Tests;

public sealed class HtmlPageTests
{
    private const string ChartCell =
        "var bars = new Trace(\"bar\");\nbars.SetProperty(\"y\", new[] { 3, 1, 2 });\nGenericChart.ofTraceObject(true, bars)";

    [Fact]
    public async Task Render_TwoCharts_EmbedsPlotlyJsOnceBeforeTheFirstChart()
    {
        using var nb = new TestNotebook();
        string path = nb.Write("02-charts.ipynb",
            "#r \"nuget: Plotly.NET.Interactive, 6.0.0\"\nusing Plotly.NET;",
            ChartCell,
            ChartCell);

        NotebookResult result = await nb.RunAsync(path);
        string html = File.ReadAllText(result.HtmlOutputPath!);

        Assert.True(result.Succeeded, result.Failure);
        Assert.Equal(2, result.Charts);
        string plotlyJs = ChartFormatter.PlotlyJs;
        string marker = plotlyJs[..200];
        Assert.Single(Regex.Matches(html, Regex.Escape(marker)));
        int firstChart = html.IndexOf("Plotly.newPlot('", StringComparison.Ordinal);
        Assert.True(firstChart > html.IndexOf(marker, StringComparison.Ordinal), "plotly.js must come before the first chart");
        Assert.Equal(2, Regex.Matches(html, "Plotly.newPlot\\('").Count);
        // With plotly.js defined first, each chart takes its `window.Plotly` branch: no network.
        Assert.Equal(2, Regex.Matches(html, Regex.Escape("if (window.Plotly) { renderPlotly_")).Count);
        Assert.DoesNotContain("<script src", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Render_NoCharts_LeavesPlotlyJsOut()
    {
        using var nb = new TestNotebook();
        NotebookResult result = await nb.RunAsync(nb.Write("03-plain.ipynb", "1 + 1"));

        string html = File.ReadAllText(result.HtmlOutputPath!);
        Assert.DoesNotContain(ChartFormatter.PlotlyJs[..200], html, StringComparison.Ordinal);
        Assert.DoesNotContain("run-failed\">", html, StringComparison.Ordinal);
    }

    [Fact]
    public void RenderMarkdown_CourseOverviewLinkToReadme_PointsToContentsPage()
    {
        string html = HtmlPage.RenderMarkdown("⏪ [Course overview](../README.md) · [repo](https://example.org/README.md)");

        Assert.Contains("href=\"index.html\"", html, StringComparison.Ordinal);
        Assert.Contains("href=\"https://example.org/README.md\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public void RenderMarkdown_PipeTableEmphasisAndNotebookLink_RenderedAndLinkPointsToPage()
    {
        string html = HtmlPage.RenderMarkdown("A *small* **test**.\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n[next ⏩](02-many.ipynb) [web](https://example.org/x.ipynb)");

        Assert.Contains("<em>small</em>", html, StringComparison.Ordinal);
        Assert.Contains("<strong>test</strong>", html, StringComparison.Ordinal);
        Assert.Contains("<table>", html, StringComparison.Ordinal);
        Assert.Contains("<td>2</td>", html, StringComparison.Ordinal);
        Assert.Contains("href=\"02-many.html\"", html, StringComparison.Ordinal);
        Assert.Contains("href=\"https://example.org/x.ipynb\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Render_CodeAndOutputs_SourceEscapedTitleFromHeadingErrorShown()
    {
        using var nb = new TestNotebook();
        string path = nb.Write("04-page.ipynb",
            "md:# Echo & friends",
            "var tag = \"<b>\";\nConsole.WriteLine(tag);",
            "throw new ArgumentException(\"bad <arg>\");");

        NotebookResult result = await nb.RunAsync(path);
        string html = File.ReadAllText(result.HtmlOutputPath!);

        Assert.Contains("<title>Echo &amp; friends</title>", html, StringComparison.Ordinal);
        Assert.Contains("var tag = &quot;&lt;b&gt;&quot;;", html, StringComparison.Ordinal);
        Assert.Contains("<pre class=\"output stream stdout\">&lt;b&gt;\n</pre>", html, StringComparison.Ordinal);
        Assert.Contains("<strong>ArgumentException</strong>: bad &lt;arg&gt;", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<b>", html, StringComparison.Ordinal);
        Assert.Contains("This run stopped at <a href=\"#cell-2\">cell 2</a>", html, StringComparison.Ordinal);
        Assert.Contains("<section class=\"code\" id=\"cell-2\">", html, StringComparison.Ordinal);
    }
}
