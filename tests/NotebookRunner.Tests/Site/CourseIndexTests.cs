using Microsoft.DotNet.Interactive.Documents;
using NotebookRunner.Notebooks;
using NotebookRunner.Site;

namespace NotebookRunner.Tests;

public sealed class CourseIndexTests
{
    [Fact]
    public void Goals_FirstMarkdownCellBullets_InlineMarkdownRenderedListPunctuationTrimmed()
    {
        using var nb = new TestNotebook();
        NotebookFile notebook = NotebookFile.Load(nb.Write("01-x.ipynb",
            "md:# 01 · X\n\nIntro with a list later.\n\nYou will learn:\n- the `recv()` call;\n- *why* it splits.\n\nMore text.\n\n- not a goal: a second list",
            "1",
            "md:- a bullet in a later cell"));

        IReadOnlyList<string> goals = CourseIndex.Goals(notebook);

        Assert.Equal(["the <code>recv()</code> call", "<em>why</em> it splits"], goals);
    }

    [Fact]
    public void Goals_NoListInFirstMarkdownCell_None()
    {
        using var nb = new TestNotebook();
        NotebookFile notebook = NotebookFile.Load(nb.Write("01-x.ipynb", "md:# Title only", "md:- later"));

        Assert.Empty(CourseIndex.Goals(notebook));
    }

    [Fact]
    public void Render_CourseFolder_IndexLinksEveryPageWithGoalsAndTheCellARunStoppedAt()
    {
        using var nb = new TestNotebook();
        string first = nb.Write("01-first.ipynb", "md:# 01 · First\n\n- goal one", "1 + 1");
        string second = nb.Write("02-second.ipynb", "md:# 02 · Second\n\n- goal two", "var x = 1;", "x / (x - 1)");
        nb.Write("03-third.ipynb", "md:# 03 · Third", "3");
        Directory.CreateDirectory(nb.OutputDirectory);
        foreach (string page in new[] { "01-first.html", "02-second.html" })
        {
            File.WriteAllText(Path.Combine(nb.OutputDirectory, page), "");
        }

        NotebookResult[] results =
        [
            new(first, 1, [new CellResult(1, [], 0.1)], 1.5, null),
            new(second, 2, [new CellResult(1, [], 0.1), new CellResult(2, [new ErrorElement("x", "DivideByZeroException", [])], 0.1)], 1.5,
                "02-second.ipynb: cell 2: DivideByZeroException: x"),
        ];

        string index = CourseIndex.Render(CourseRunner.FindNotebooks(nb.Directory), results, nb.OutputDirectory);

        Assert.Contains("<a href=\"01-first.html\">01 · First</a>", index, StringComparison.Ordinal);
        Assert.Contains("ran 1 code cells, 0 charts, 1.5 s", index, StringComparison.Ordinal);
        Assert.Contains("<li>goal two</li>", index, StringComparison.Ordinal);
        Assert.Contains("stopped at <a href=\"02-second.html#cell-2\">cell 2</a>", index, StringComparison.Ordinal);
        Assert.Contains("03 · Third", index, StringComparison.Ordinal);
        Assert.Contains("not rendered yet", index, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_PageWithNavigation_LinksItsNeighboursByTitle()
    {
        using var nb = new TestNotebook();
        nb.Write("01-first.ipynb", "md:# 01 · First", "1");
        string second = nb.Write("02-second.ipynb", "md:# 02 · Second", "2");
        nb.Write("03-third.ipynb", "md:# 03 · Third", "3");

        string html = HtmlPage.Render(NotebookFile.Load(second), CourseNavigation.For(second));

        Assert.Contains("rel=\"prev\" href=\"01-first.html\">← 01 · First</a>", html, StringComparison.Ordinal);
        Assert.Contains("rel=\"next\" href=\"03-third.html\">03 · Third →</a>", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_WithoutNavigation_NoCourseLinks()
    {
        using var nb = new TestNotebook();
        string html = HtmlPage.Render(NotebookFile.Load(nb.Write("01-x.ipynb", "md:# X")));

        Assert.DoesNotContain("<nav class=\"course-nav", html, StringComparison.Ordinal);
        Assert.Contains("@media print", html, StringComparison.Ordinal);
        Assert.Contains(".dni-treeview", html, StringComparison.Ordinal);
    }
}
