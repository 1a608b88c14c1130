using System.Globalization;
using System.Text;
using Markdig;
using Markdig.Syntax;
using NotebookRunner.Notebooks;

namespace NotebookRunner.Site;

/// <summary>
/// The course's contents page, index.html: the title, then one entry per notebook in course order
/// with its goals (the bullets of its first markdown cell, the "you will learn" list every notebook
/// opens with), a link to its page and what the run did. Same stylesheet as the pages.
/// </summary>
public static class CourseIndex
{
    /// <summary>The title of the contents page.</summary>
    public const string CourseTitle = "SocketsNotebooks: TCP sockets in C#, seen from the inside";

    /// <summary>
    /// The contents page for the notebooks at <paramref name="notebookPaths"/> (course order), with
    /// the results of this run where there are some; pages are looked for in <paramref name="outputDirectory"/>.
    /// </summary>
    public static string Render(IReadOnlyList<string> notebookPaths, IReadOnlyList<NotebookResult> results, string outputDirectory)
    {
        var body = new StringBuilder();
        body.Append("<header class=\"course\">\n<h1>").Append(Encode(CourseTitle)).Append("</h1>\n")
            .Append("<p>A course of C# notebooks on TCP socket programming: an echo server, many connections on one thread, ")
            .Append("an application protocol, troubleshooting, publish/subscribe. Every page below was run cell by cell in the ")
            .Append(".NET Interactive kernel that VS Code starts for these notebooks; its numbers and charts come from that run and work offline.</p>\n</header>\n<ol class=\"toc\">\n");
        foreach (string path in notebookPaths)
        {
            NotebookResult? result = results.FirstOrDefault(r => Path.GetFullPath(r.Path) == Path.GetFullPath(path));
            CourseLink link = CourseLink.For(path);
            bool pageExists = File.Exists(Path.Combine(outputDirectory, link.Page));
            body.Append("<li>\n<h2>");
            if (pageExists)
            {
                body.Append("<a href=\"").Append(Encode(link.Page)).Append("\">").Append(Encode(link.Title)).Append("</a>");
            }
            else
            {
                body.Append(Encode(link.Title));
            }

            body.Append("</h2>\n<p class=\"run-status\">").Append(Status(result, pageExists, link.Page)).Append("</p>\n");
            IReadOnlyList<string> goals = TryGoals(path);
            if (goals.Count > 0)
            {
                body.Append("<ul class=\"goals\">\n");
                foreach (string goal in goals)
                {
                    body.Append("<li>").Append(goal).Append("</li>\n");
                }

                body.Append("</ul>\n");
            }

            body.Append("</li>\n");
        }

        body.Append("</ol>\n");
        return HtmlPage.Document(CourseTitle, body.ToString(), includePlotly: false);
    }

    /// <summary>
    /// The goals of a notebook as HTML fragments: the items of the first list in its first
    /// markdown cell, inline markdown (code, emphasis) rendered, the list punctuation trimmed.
    /// </summary>
    public static IReadOnlyList<string> Goals(NotebookFile notebook)
    {
        ArgumentNullException.ThrowIfNull(notebook);
        string? first = notebook.MarkdownCells.FirstOrDefault();
        if (first is null)
        {
            return [];
        }

        string markdown = first.Replace("\r\n", "\n", StringComparison.Ordinal);
        ListBlock? list = Markdown.Parse(markdown).Descendants<ListBlock>().FirstOrDefault();
        if (list is null)
        {
            return [];
        }

        var goals = new List<string>();
        foreach (ListItemBlock item in list.OfType<ListItemBlock>())
        {
            // The item's own text without its marker ("- ", "1. "), rendered as inline markdown.
            string text = string.Join(' ', item.OfType<LeafBlock>()
                .Select(leaf => markdown.Substring(leaf.Span.Start, leaf.Span.Length).Trim()));
            string html = Markdown.ToHtml(text.TrimEnd(';', '.', ' ')).Trim();
            if (html.StartsWith("<p>", StringComparison.Ordinal) && html.EndsWith("</p>", StringComparison.Ordinal))
            {
                html = html[3..^4];
            }

            goals.Add(html);
        }

        return goals;
    }

    private static IReadOnlyList<string> TryGoals(string path)
    {
        try
        {
            return Goals(NotebookFile.Load(path));
        }
        catch (NotebookFormatException)
        {
            return [];
        }
    }

    private static string Status(NotebookResult? result, bool pageExists, string page) => result switch
    {
        null when pageExists => "rendered by an earlier run",
        null => "not rendered yet: run the course command",
        { Succeeded: true } r => string.Create(CultureInfo.InvariantCulture,
            $"ran {r.CodeCells} code cells, {r.Charts} chart{(r.Charts == 1 ? "" : "s")}, {r.Seconds:0.0} s"),
        { FailedCell: int n } => $"<span class=\"failed\">this run stopped at <a href=\"{Encode(page)}#cell-{n}\">cell {n}</a></span>",
        _ => "<span class=\"failed\">not a readable notebook</span>",
    };

    private static string Encode(string text) => HtmlPage.Encode(text);
}
