using System.Text;
using Markdig;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;
using Microsoft.DotNet.Interactive.Documents;
using NotebookRunner.Notebooks;
using SocketsNotebooks.Charts;

namespace NotebookRunner.Site;

/// <summary>
/// Renders an executed notebook as one self-contained HTML page: markdown through Markdig, code
/// shown as code, and every output as the kernel made it — its HTML unchanged — plus one copy of
/// plotly.js in the page's head when there are charts, so they draw without a network. It reads
/// only the executed notebook, so any executed .ipynb renders the same way.
/// </summary>
public static class HtmlPage
{
    private static readonly MarkdownPipeline s_markdown = new MarkdownPipelineBuilder().UseAdvancedExtensions().Build();

    /// <summary>The page for <paramref name="notebook"/> with the outputs its cells hold (no course links).</summary>
    public static string Render(NotebookFile notebook) => Render(notebook, null);

    /// <summary>
    /// The page for <paramref name="notebook"/>, with links to the contents page and to the
    /// previous and next notebooks at the top and the bottom when <paramref name="navigation"/> is given.
    /// </summary>
    public static string Render(NotebookFile notebook, CourseNavigation? navigation)
    {
        ArgumentNullException.ThrowIfNull(notebook);
        var body = new StringBuilder();
        bool hasCharts = false;
        int codeNumber = 0;
        int? failedCell = null;
        foreach (InteractiveDocumentElement cell in notebook.Cells)
        {
            if (NotebookFile.IsCode(cell))
            {
                codeNumber++;
                hasCharts |= RenderCode(cell, codeNumber, body);
                if (failedCell is null && cell.Outputs.OfType<ErrorElement>().Any())
                {
                    failedCell = codeNumber;
                }
            }
            else
            {
                body.Append("<section class=\"markdown\">").Append(RenderMarkdown(cell.Contents)).Append("</section>\n");
            }
        }

        var main = new StringBuilder();
        string nav = navigation is null ? "" : Navigation(navigation);
        main.Append(nav.Replace("course-nav", "course-nav top", StringComparison.Ordinal));
        if (failedCell is int failed)
        {
            // The run stops at the first failing cell; say so before the reader scrolls into it.
            main.Append("<p class=\"run-failed\">This run stopped at <a href=\"#cell-").Append(failed)
                .Append("\">cell ").Append(failed).Append("</a>: it failed, and the cells after it did not run.</p>\n");
        }

        main.Append(body).Append(nav.Replace("course-nav", "course-nav bottom", StringComparison.Ordinal));
        return Document(Title(notebook), main.ToString(), hasCharts);
    }

    /// <summary>
    /// A whole page around <paramref name="mainHtml"/>: the course stylesheet and, when the page
    /// has charts, plotly.js inlined before them (so the page needs no network).
    /// </summary>
    internal static string Document(string title, string mainHtml, bool includePlotly)
    {
        var page = new StringBuilder();
        page.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
            .Append("<title>").Append(Encode(title)).Append("</title>\n")
            .Append("<style>").Append(PageStyle.Css).Append("</style>\n");
        if (includePlotly)
        {
            // "</script" inside the library's own strings would end the inline script early.
            page.Append("<script>").Append(PlotlyJs.Source.Replace("</script", "<\\/script", StringComparison.OrdinalIgnoreCase))
                .Append("</script>\n");
        }

        page.Append("</head>\n<body>\n<main>\n").Append(mainHtml).Append("</main>\n</body>\n</html>\n");
        return page.ToString();
    }

    /// <summary>The notebook's title: its first markdown heading as plain text, else its file name.</summary>
    public static string Title(NotebookFile notebook)
    {
        ArgumentNullException.ThrowIfNull(notebook);
        foreach (string markdown in notebook.MarkdownCells)
        {
            string? heading = markdown.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.StartsWith('#'));
            if (heading is not null)
            {
                // A heading may hold inline code or emphasis; the window title shows plain text.
                return heading.TrimStart('#').Replace("`", "", StringComparison.Ordinal).Replace("**", "", StringComparison.Ordinal).Trim();
            }
        }

        return Path.GetFileNameWithoutExtension(notebook.Path);
    }

    private static string Navigation(CourseNavigation navigation)
    {
        var nav = new StringBuilder("<nav class=\"course-nav\">");
        nav.Append(navigation.Previous is { } previous
            ? $"<a class=\"prev\" rel=\"prev\" href=\"{Encode(previous.Page)}\">← {Encode(previous.Title)}</a>"
            : "<span class=\"prev\"></span>");
        nav.Append($"<a class=\"contents\" href=\"{CourseNavigation.IndexPage}\">Contents</a>");
        nav.Append(navigation.Next is { } next
            ? $"<a class=\"next\" rel=\"next\" href=\"{Encode(next.Page)}\">{Encode(next.Title)} →</a>"
            : "<span class=\"next\"></span>");
        return nav.Append("</nav>\n").ToString();
    }

    /// <summary>Markdown to HTML, with links to sibling notebooks pointed at their pages and the README at the contents page.</summary>
    public static string RenderMarkdown(string markdown)
    {
        MarkdownDocument document = Markdown.Parse(markdown, s_markdown);
        foreach (LinkInline link in document.Descendants<LinkInline>())
        {
            if (link.Url is not { } url || url.Contains("://", StringComparison.Ordinal))
            {
                continue;
            }

            if (url.EndsWith(".ipynb", StringComparison.OrdinalIgnoreCase))
            {
                link.Url = Path.GetFileNameWithoutExtension(url) + ".html";
            }
            else if (url.EndsWith("README.md", StringComparison.OrdinalIgnoreCase))
            {
                // The notebooks' "course overview" link; on the site the overview is the contents page.
                link.Url = CourseNavigation.IndexPage;
            }
        }

        return document.ToHtml(s_markdown);
    }

    private static bool RenderCode(InteractiveDocumentElement cell, int number, StringBuilder body)
    {
        bool hasCharts = false;
        string prompt = cell.ExecutionOrder > 0 ? $"[{cell.ExecutionOrder}]" : "[ ]";
        body.Append("<section class=\"code\" id=\"cell-").Append(number).Append("\">\n<div class=\"prompt\">").Append(prompt).Append("</div>")
            .Append("<pre class=\"source\"><code class=\"language-csharp\">").Append(Encode(cell.Contents)).Append("</code></pre>\n");
        foreach (InteractiveDocumentOutputElement output in cell.Outputs)
        {
            switch (output)
            {
                case TextElement stream:
                    body.Append("<pre class=\"output stream ").Append(stream.Name).Append("\">").Append(Encode(stream.Text)).Append("</pre>\n");
                    break;
                case ErrorElement error:
                    // The name and message in bold, then the kernel's lines that do not repeat them (the stack).
                    string[] rest = error.StackTrace.Where((line, i) =>
                        !error.ErrorValue.Contains(line, StringComparison.Ordinal) && !(i == 0 && line.EndsWith(error.ErrorValue, StringComparison.Ordinal))).ToArray();
                    body.Append("<pre class=\"output error\"><strong>").Append(Encode(error.ErrorName)).Append(": ")
                        .Append(Encode(error.ErrorValue)).Append("</strong>").Append(rest.Length > 0 ? "\n" + Encode(string.Join('\n', rest)) : "")
                        .Append("</pre>\n");
                    break;
                case var value when ChartOutput.HtmlOf(value) is { } html:
                    hasCharts |= ChartOutput.IsChart(value);
                    body.Append("<div class=\"output html\">").Append(html).Append("</div>\n");
                    break;
                case var value when PlainText(value) is { } text:
                    body.Append("<pre class=\"output text\">").Append(Encode(text)).Append("</pre>\n");
                    break;
            }
        }

        body.Append("</section>\n");
        return hasCharts;
    }

    private static string? PlainText(InteractiveDocumentOutputElement output)
    {
        IDictionary<string, object>? data = output switch
        {
            DisplayElement display => display.Data,
            ReturnValueElement value => value.Data,
            _ => null,
        };
        return data is not null && data.TryGetValue("text/plain", out object? text) ? text as string : null;
    }

    /// <summary>
    /// Text as HTML: only the five characters HTML gives a meaning are escaped, so "·", "→" and
    /// "✅" stay readable in the page source (WebUtility.HtmlEncode would write "&amp;#183;").
    /// </summary>
    internal static string Encode(string text) => text
        .Replace("&", "&amp;", StringComparison.Ordinal)
        .Replace("<", "&lt;", StringComparison.Ordinal)
        .Replace(">", "&gt;", StringComparison.Ordinal)
        .Replace("\"", "&quot;", StringComparison.Ordinal)
        .Replace("'", "&#39;", StringComparison.Ordinal);
}
