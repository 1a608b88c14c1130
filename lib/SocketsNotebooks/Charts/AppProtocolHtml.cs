using System.IO;

namespace SocketsNotebooks.Charts;

/// <summary>
/// A piece of HTML a notebook shows as HTML (the annotated hex view). The kernel's formatter shows
/// a string as plain text and any other object as a table of its properties; it shows this type
/// as its <see cref="Html"/> because of the formatter-source convention below, which needs no
/// reference to the kernel's packages.
/// </summary>
[TypeFormatterSource(typeof(AppProtocolHtmlFormatterSource), PreferredMimeTypes = ["text/html"])]
public sealed class AppProtocolHtml
{
    /// <summary>Wraps an HTML fragment and the text shown where HTML cannot be (a terminal, a plain-text viewer).</summary>
    public AppProtocolHtml(string html, string text)
    {
        Html = html ?? throw new ArgumentNullException(nameof(html));
        Text = text ?? throw new ArgumentNullException(nameof(text));
    }

    /// <summary>The HTML fragment.</summary>
    public string Html { get; }

    /// <summary>The plain-text form.</summary>
    public string Text { get; }

    /// <inheritdoc/>
    public override string ToString() => Text;
}

// .NET Interactive's formatter looks for an attribute *named* TypeFormatterSourceAttribute with a
// FormatterSourceType property, creates that source, and calls CreateTypeFormatters(); each
// formatter needs MimeType, Type and bool Format(object, TextWriter). Matching by name (its
// "convention-based formatter sources") lets a library be displayed properly without referencing
// Microsoft.DotNet.Interactive.Formatting. See Formatter.TryRegisterFromConventionBasedFormatterSources.
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
internal sealed class TypeFormatterSourceAttribute(Type formatterSourceType) : Attribute
{
    public Type FormatterSourceType { get; } = formatterSourceType;

    public string[]? PreferredMimeTypes { get; set; }
}

internal sealed class AppProtocolHtmlFormatterSource
{
    public IEnumerable<object> CreateTypeFormatters() =>
        [new AppProtocolHtmlFormatter("text/html", html: true), new AppProtocolHtmlFormatter("text/plain", html: false)];
}

internal sealed class AppProtocolHtmlFormatter(string mimeType, bool html)
{
    public string MimeType { get; } = mimeType;

    public Type Type => typeof(AppProtocolHtml);

    public bool Format(object instance, TextWriter writer)
    {
        if (instance is not AppProtocolHtml view)
        {
            return false;
        }
        writer.Write(html ? view.Html : view.Text);
        return true;
    }
}
