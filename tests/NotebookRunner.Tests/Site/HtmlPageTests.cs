using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using NotebookRunner.Notebooks;
using NotebookRunner.Site;
using SocketsNotebooks.Charts;

namespace NotebookRunner.Tests;

/// <summary>Pages rendered from executed notebooks: the kernel's outputs unchanged, plotly.js once when there are charts.</summary>
public sealed class HtmlPageTests
{
    private static readonly string s_chart =
        new PlotlyFigure(new JsonArray(new JsonObject { ["type"] = "bar", ["y"] = new JsonArray(3, 1, 2) }), new JsonObject()).ToHtml();

    [Fact]
    public void Render_TwoCharts_InlinesPlotlyJsOnceInTheHeadBeforeTheFirstChartAndKeepsTheOutputsAsTheKernelMadeThem()
    {
        NotebookFile notebook = Executed("02-charts.ipynb", Cell("1", Display("text/html", s_chart)), Cell("2", Display("text/html", s_chart)));

        string html = HtmlPage.Render(notebook);

        string plotlyStart = PlotlyJs.Source[..200];
        Assert.Single(Regex.Matches(html, Regex.Escape(plotlyStart)));
        int head = html.IndexOf("</head>", StringComparison.Ordinal);
        Assert.True(html.IndexOf(plotlyStart, StringComparison.Ordinal) < head, "plotly.js belongs in the head, before every chart");
        Assert.Equal(2, Regex.Matches(html, Regex.Escape(s_chart)).Count);
        Assert.DoesNotContain("<script src", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_NoCharts_LeavesPlotlyJsOut()
    {
        NotebookFile notebook = Executed("03-plain.ipynb", Cell("1 + 1", Display("text/html", "<div class=\"dni-plaintext\"><pre>2</pre></div>")));

        string html = HtmlPage.Render(notebook);

        Assert.DoesNotContain(PlotlyJs.Source[..200], html, StringComparison.Ordinal);
        Assert.Contains("<div class=\"output html\"><div class=\"dni-plaintext\"><pre>2</pre></div></div>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("run-failed\">", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_CodeStreamAndError_SourceAndTextEscapedTitleFromHeadingErrorNamedOnce()
    {
        NotebookFile notebook = Executed("04-page.ipynb",
            new JsonObject { ["cell_type"] = "markdown", ["id"] = "md", ["metadata"] = new JsonObject(), ["source"] = "# Echo & friends" },
            Cell("var tag = \"<b>\";\nConsole.WriteLine(tag);", new JsonObject { ["output_type"] = "stream", ["name"] = "stdout", ["text"] = "<b>\n" }),
            Cell("throw new ArgumentException(\"bad <arg>\");", new JsonObject
            {
                ["output_type"] = "error",
                ["ename"] = "ArgumentException",
                ["evalue"] = "bad <arg>",
                ["traceback"] = new JsonArray("System.ArgumentException: bad <arg>", "   at Submission#2.<<Initialize>>d__0.MoveNext()"),
            }));

        string html = HtmlPage.Render(notebook);

        Assert.Contains("<title>Echo &amp; friends</title>", html, StringComparison.Ordinal);
        Assert.Contains("var tag = &quot;&lt;b&gt;&quot;;", html, StringComparison.Ordinal);
        Assert.Contains("<pre class=\"output stream stdout\">&lt;b&gt;\n</pre>", html, StringComparison.Ordinal);
        Assert.Contains("<strong>ArgumentException: bad &lt;arg&gt;</strong>\n   at Submission#2.&lt;&lt;Initialize&gt;&gt;d__0.MoveNext()</pre>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<b>", html, StringComparison.Ordinal);
        Assert.Contains("This run stopped at <a href=\"#cell-2\">cell 2</a>", html, StringComparison.Ordinal);
        Assert.Contains("<section class=\"code\" id=\"cell-2\">", html, StringComparison.Ordinal);
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

    // An executed notebook as the runner writes it: nbformat 4 with outputs in the cells.
    private static NotebookFile Executed(string name, params JsonObject[] cells) =>
        NotebookFile.Parse(name, new JsonObject
        {
            ["cells"] = new JsonArray(cells),
            ["metadata"] = new JsonObject { ["kernelspec"] = new JsonObject { ["name"] = ".net-csharp" } },
            ["nbformat"] = 4,
            ["nbformat_minor"] = 5,
        }.ToJsonString());

    private static JsonObject Cell(string source, params JsonObject[] outputs) => new()
    {
        ["cell_type"] = "code",
        ["id"] = Guid.NewGuid().ToString("N")[..8],
        ["execution_count"] = 1,
        ["metadata"] = new JsonObject { ["polyglot_notebook"] = new JsonObject { ["kernelName"] = "csharp" } },
        ["outputs"] = new JsonArray(outputs),
        ["source"] = source,
    };

    private static JsonObject Display(string mimeType, string content) => new()
    {
        ["output_type"] = "display_data",
        ["data"] = new JsonObject { [mimeType] = content },
        ["metadata"] = new JsonObject(),
    };
}
