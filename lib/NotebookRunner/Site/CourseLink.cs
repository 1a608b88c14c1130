using NotebookRunner.Notebooks;

namespace NotebookRunner.Site;

/// <summary>A link to one rendered notebook: its page file and its title.</summary>
public sealed class CourseLink
{
    /// <summary>Creates a link to <paramref name="page"/> shown as <paramref name="title"/>.</summary>
    public CourseLink(string page, string title)
    {
        Page = page;
        Title = title;
    }

    /// <summary>The page's file name, e.g. <c>01-echo.html</c> (pages sit side by side).</summary>
    public string Page { get; }

    /// <summary>The notebook's title (its first heading), plain text.</summary>
    public string Title { get; }

    /// <summary>The link for the notebook at <paramref name="notebookPath"/>; its file name stands in for an unreadable notebook's title.</summary>
    public static CourseLink For(string notebookPath)
    {
        string page = Path.GetFileNameWithoutExtension(notebookPath) + ".html";
        try
        {
            return new CourseLink(page, HtmlPage.Title(NotebookFile.Load(notebookPath)));
        }
        catch (NotebookFormatException)
        {
            return new CourseLink(page, Path.GetFileNameWithoutExtension(notebookPath));
        }
    }
}
