namespace SocketsNotebooks.Charts;

/// <summary>
/// A piece of HTML a notebook shows as HTML (the annotated hex view). The kernel's formatter shows
/// a string as plain text and any other object as a table of its properties; it shows this type
/// as its <see cref="Html"/> because of the formatter-source convention (see TypeFormatterSourceAttribute),
/// which needs no reference to the kernel's packages.
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

internal sealed class AppProtocolHtmlFormatterSource
{
    public IEnumerable<object> CreateTypeFormatters() =>
    [
        new ConventionFormatter<AppProtocolHtml>("text/html", view => view.Html),
        new ConventionFormatter<AppProtocolHtml>("text/plain", view => view.Text),
    ];
}
