namespace NotebookRunner.Site;

/// <summary>
/// Where a page sits in the course: the contents page and the pages before and after it. The
/// course order is the name order of the notebooks in one folder (01-…, 02-…), so a page rendered
/// on its own still links its neighbours.
/// </summary>
public sealed class CourseNavigation
{
    /// <summary>The contents page every course page links back to.</summary>
    public const string IndexPage = "index.html";

    /// <summary>Creates the links for one page; null neighbours at the ends of the course.</summary>
    public CourseNavigation(CourseLink? previous, CourseLink? next)
    {
        Previous = previous;
        Next = next;
    }

    /// <summary>The page before, or null on the first page.</summary>
    public CourseLink? Previous { get; }

    /// <summary>The page after, or null on the last page.</summary>
    public CourseLink? Next { get; }

    /// <summary>The links of the notebook at <paramref name="notebookPath"/> among the notebooks of its folder.</summary>
    public static CourseNavigation For(string notebookPath)
    {
        string full = Path.GetFullPath(notebookPath);
        string[] course = CourseRunner.FindNotebooks(Path.GetDirectoryName(full)!).Select(Path.GetFullPath).ToArray();
        int at = Array.IndexOf(course, full);
        if (at < 0)
        {
            return new CourseNavigation(null, null);
        }

        return new CourseNavigation(
            at > 0 ? CourseLink.For(course[at - 1]) : null,
            at < course.Length - 1 ? CourseLink.For(course[at + 1]) : null);
    }
}
