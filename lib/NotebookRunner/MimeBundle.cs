using Microsoft.DotNet.Interactive.Formatting;

namespace NotebookRunner;

/// <summary>
/// Turns a value into the mime bundle of a <c>display_data</c> / <c>execute_result</c> output,
/// through the kernel's own formatter (<c>Microsoft.DotNet.Interactive.Formatting</c>).
/// </summary>
public static class MimeBundle
{
    /// <summary>The plain-text mime type.</summary>
    public const string PlainText = "text/plain";

    /// <summary>The HTML mime type.</summary>
    public const string Html = "text/html";

    /// <summary>
    /// Formats <paramref name="value"/> for each of <paramref name="mimeTypes"/>; with none given,
    /// for the formatter's preferred mime types of the value's type, as the kernel's
    /// <c>FormattedValue.CreateManyFromObject</c> does (strings: text/plain; objects: text/html).
    /// A text/plain rendering is added next to HTML so the executed .ipynb reads well in viewers
    /// without HTML — except for charts, whose plain-text form is a dump of the whole figure.
    /// </summary>
    public static IReadOnlyDictionary<string, string> For(object? value, params string[] mimeTypes)
    {
        IEnumerable<string> wanted = mimeTypes is { Length: > 0 }
            ? mimeTypes
            : value is null
                ? [Formatter.DefaultMimeType, PlainText]
                : Formatter.GetPreferredMimeTypesFor(value.GetType());

        if (mimeTypes is not { Length: > 0 } && !ChartFormatter.IsChart(value))
        {
            wanted = wanted.Append(PlainText);
        }

        var bundle = new Dictionary<string, string>();
        foreach (string mimeType in wanted.Distinct())
        {
            bundle[mimeType] = value.ToDisplayString(mimeType);
        }

        return bundle;
    }
}
