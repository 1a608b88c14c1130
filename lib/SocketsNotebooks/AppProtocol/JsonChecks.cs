using System.Text.Json;
using SocketsNotebooks.Tracing;

namespace SocketsNotebooks.AppProtocol;

/// <summary>
/// The two things valid JSON syntax allows that no reader of it can use: a key twice in one object,
/// and a string escaping half a surrogate pair. Checked on the parsed document before anything reads it.
/// </summary>
internal static class JsonChecks
{
    /// <summary>
    /// Walks <paramref name="element"/> and throws <see cref="ProtocolException"/> for a repeated key
    /// (only keys in <paramref name="requiredOnly"/> when given: the header allows unknown extras twice,
    /// as Python does) or a lone surrogate anywhere. <paramref name="what"/> starts the message.
    /// </summary>
    public static void ThrowIfRepeatedKeyOrLoneSurrogate(JsonElement element, string what, IReadOnlyList<string>? requiredOnly = null)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var seen = new HashSet<string>(StringComparer.Ordinal);
                foreach (var property in element.EnumerateObject())
                {
                    string name = Text(what, () => property.Name);
                    if (!seen.Add(name) && (requiredOnly is null || requiredOnly.Contains(name)))
                    {
                        throw new ProtocolException(ProtocolError.RepeatedKey, $"{what} has the key {PythonRepr.Str(name, MessageHeader.MaxQuotedChars)} more than once in one object.");
                    }
                    ThrowIfRepeatedKeyOrLoneSurrogate(property.Value, what, requiredOnly);
                }
                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    ThrowIfRepeatedKeyOrLoneSurrogate(item, what, requiredOnly);
                }
                break;
            case JsonValueKind.String:
                Text(what, () => element.GetString()!);
                break;
        }
    }

    // JsonElement unescapes lazily and throws InvalidOperationException for "\ud800" alone.
    private static string Text(string what, Func<string> read)
    {
        try
        {
            return read();
        }
        catch (InvalidOperationException e)
        {
            throw new ProtocolException(ProtocolError.LoneSurrogate, $"{what} has a string with a lone surrogate escape (e.g. \\ud800 without its pair).", e);
        }
    }
}
