namespace NotebookRunner.Tests;

public sealed class CourseIndexTests
{
    [Fact]
    public void Goals_FirstMarkdownCellBullets_InlineMarkdownRenderedListPunctuationTrimmed()
    {
        using var nb = new TestNotebook();
        NotebookDocument notebook = NotebookDocument.Load(nb.Write("01-x.ipynb",
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
        NotebookDocument notebook = NotebookDocument.Load(nb.Write("01-x.ipynb", "md:# Title only", "md:- later"));

        Assert.Empty(CourseIndex.Goals(notebook));
    }

    [Fact]
    public async Task RunAsync_CourseFolder_IndexLinksEveryPageAndPagesLinkNeighbours()
    {
        using var nb = new TestNotebook();
        nb.Write("01-first.ipynb", "md:# 01 · First\n\n- goal one", "1 + 1");
        nb.Write("02-second.ipynb", "md:# 02 · Second\n\n- goal two", "var x = 1;", "x / (x - 1)");
        nb.Write("03-third.ipynb", "md:# 03 · Third", "3");
        var runner = new CourseRunner(nb.OutputDirectory, TextWriter.Null);

        await runner.RunAsync(CourseRunner.FindNotebooks(nb.Directory));

        string index = File.ReadAllText(runner.IndexPath);
        Assert.Contains("<a href=\"01-first.html\">01 · First</a>", index, StringComparison.Ordinal);
        Assert.Contains("<li>goal two</li>", index, StringComparison.Ordinal);
        Assert.Contains("stopped at <a href=\"02-second.html#cell-2\">cell 2</a>", index, StringComparison.Ordinal);
        string second = File.ReadAllText(Path.Combine(nb.OutputDirectory, "02-second.html"));
        Assert.Contains("rel=\"prev\" href=\"01-first.html\">← 01 · First</a>", second, StringComparison.Ordinal);
        Assert.Contains("rel=\"next\" href=\"03-third.html\">03 · Third →</a>", second, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_OneNotebookOfACourse_IndexStillListsTheOthers()
    {
        using var nb = new TestNotebook();
        nb.Write("01-first.ipynb", "md:# 01 · First", "1");
        string second = nb.Write("02-second.ipynb", "md:# 02 · Second", "2");
        var runner = new CourseRunner(nb.OutputDirectory, TextWriter.Null);

        await runner.RunAsync([second]);

        string index = File.ReadAllText(runner.IndexPath);
        Assert.Contains("01 · First", index, StringComparison.Ordinal);
        Assert.Contains("not rendered yet", index, StringComparison.Ordinal);
        Assert.Contains("<a href=\"02-second.html\">02 · Second</a>", index, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_WithoutNavigation_NoCourseLinks()
    {
        using var nb = new TestNotebook();
        string html = HtmlPage.Render(NotebookDocument.Load(nb.Write("01-x.ipynb", "md:# X")));

        Assert.DoesNotContain("<nav class=\"course-nav", html, StringComparison.Ordinal);
        Assert.Contains("@media print", html, StringComparison.Ordinal);
        Assert.Contains(".dni-treeview", html, StringComparison.Ordinal);
    }
}
