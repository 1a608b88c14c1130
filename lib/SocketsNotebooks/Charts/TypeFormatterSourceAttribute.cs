namespace SocketsNotebooks.Charts;

// .NET Interactive's formatter looks for an attribute *named* TypeFormatterSourceAttribute with a
// FormatterSourceType property, creates that source, and calls CreateTypeFormatters(); each
// formatter needs MimeType, Type and bool Format(object, TextWriter). Matching by name (its
// "convention-based formatter sources") lets a library be displayed properly without referencing
// Microsoft.DotNet.Interactive.Formatting. See Formatter.TryRegisterFromConventionBasedFormatterSources.
// One definition for every type of the library that shows itself (AppProtocolHtml, PlotlyFigure).
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
internal sealed class TypeFormatterSourceAttribute(Type formatterSourceType) : Attribute
{
    public Type FormatterSourceType { get; } = formatterSourceType;

    public string[]? PreferredMimeTypes { get; set; }
}
