using System.IO;

namespace SocketsNotebooks.Charts;

// One formatter of the convention (see TypeFormatterSourceAttribute): writes a T as the text that
// `format` gives, for one MIME type. The kernel finds MimeType, Type and Format by reflection.
internal sealed class ConventionFormatter<T>(string mimeType, Func<T, string> format)
    where T : class
{
    public string MimeType { get; } = mimeType;

    public Type Type => typeof(T);

    public bool Format(object instance, TextWriter writer)
    {
        if (instance is not T value)
        {
            return false;
        }
        writer.Write(format(value));
        return true;
    }
}
