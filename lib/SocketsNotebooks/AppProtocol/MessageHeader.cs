using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using SocketsNotebooks.Tracing;

namespace SocketsNotebooks.AppProtocol;

/// <summary>
/// The JSON header in front of every message's content: the tutorial's <c>jsonheader</c> dict
/// with its four required keys. It says how to read the content that follows: how many bytes
/// (<c>content-length</c>), what they are (<c>content-type</c>) and how text is encoded
/// (<c>content-encoding</c>).
/// </summary>
public sealed record MessageHeader
{
    /// <summary>The content type of a JSON message; any other type is treated as binary.</summary>
    public const string JsonContentType = "text/json";

    /// <summary>The encoding of text content (the only text encoding the protocol knows).</summary>
    public const string Utf8Encoding = "utf-8";

    /// <summary>The "encoding" of content that is not text.</summary>
    public const string BinaryEncoding = "binary";

    /// <summary>The four keys every header must have, in the order the tutorial writes them.</summary>
    public static IReadOnlyList<string> RequiredKeys { get; } = ["byteorder", "content-type", "content-encoding", "content-length"];

    /// <summary>A header; throws <see cref="ArgumentException"/> for values the protocol cannot carry.</summary>
    public MessageHeader(string byteOrder, string contentType, string contentEncoding, int contentLength)
    {
        ArgumentNullException.ThrowIfNull(contentType);
        ByteOrder = byteOrder is "little" or "big"
            ? byteOrder
            : throw new ArgumentException($"byteorder must be 'little' or 'big', not '{byteOrder}'.", nameof(byteOrder));
        ContentType = contentType;
        ContentEncoding = IsKnownEncoding(contentEncoding)
            ? contentEncoding
            : throw new ArgumentException($"content-encoding must be '{Utf8Encoding}' or '{BinaryEncoding}', not '{contentEncoding}'.", nameof(contentEncoding));
        ContentLength = contentLength >= 0
            ? contentLength
            : throw new ArgumentOutOfRangeException(nameof(contentLength), contentLength, "content-length must not be negative.");
    }

    /// <summary>
    /// This machine's byte order, like Python's <c>sys.byteorder</c>. The tutorial sends it but
    /// nothing in the protocol depends on it: the only binary number, the 2-byte header length,
    /// is always big-endian ("network order").
    /// </summary>
    public static string HostByteOrder => BitConverter.IsLittleEndian ? "little" : "big";

    /// <summary><c>byteorder</c>: "little" or "big", the sender's native byte order.</summary>
    public string ByteOrder { get; }

    /// <summary><c>content-type</c>: <c>text/json</c> or any other (binary) type name.</summary>
    public string ContentType { get; }

    /// <summary><c>content-encoding</c>: <c>utf-8</c> or <c>binary</c>.</summary>
    public string ContentEncoding { get; }

    /// <summary><c>content-length</c>: how many bytes of content follow the header.</summary>
    public int ContentLength { get; }

    /// <summary>Whether the content is JSON (<c>text/json</c>).</summary>
    public bool IsJson => ContentType == JsonContentType;

    /// <summary>
    /// The header as the tutorial's Python writes it: <c>{"byteorder": "little", "content-type": ...}</c>,
    /// UTF-8, keys in the tutorial's order.
    /// </summary>
    public byte[] ToJsonBytes()
    {
        var text = new StringBuilder(128).Append("{\"byteorder\": ");
        PythonJson.WriteString(text, ByteOrder);
        text.Append(", \"content-type\": ");
        PythonJson.WriteString(text, ContentType);
        text.Append(", \"content-encoding\": ");
        PythonJson.WriteString(text, ContentEncoding);
        text.Append(", \"content-length\": ").Append(ContentLength).Append('}');
        return Encoding.UTF8.GetBytes(text.ToString());
    }

    /// <summary>
    /// Reads a JSON header, checking everything the tutorial's server takes on trust: valid UTF-8,
    /// a JSON object, each required key exactly once with a value of the right type, a
    /// non-negative integer length within <paramref name="limits"/>. Unknown extra keys are
    /// allowed, as in the tutorial. Throws <see cref="ProtocolException"/> and nothing else.
    /// </summary>
    public static MessageHeader Parse(ReadOnlySpan<byte> json, MessageLimits? limits = null)
    {
        limits ??= MessageLimits.Default;
        if (json.Length > limits.MaxHeaderLength)
        {
            throw HeaderTooLong(json.Length, limits);
        }
        if (!Utf8.IsValid(json))
        {
            throw new ProtocolException(ProtocolError.InvalidJson, "The JSON header is not valid UTF-8.");
        }
        if (json.StartsWith("\uFEFF"u8))
        {
            // Python's json.loads refuses a BOM too, so a message with one could never work there.
            throw new ProtocolException(ProtocolError.InvalidJson, "The JSON header starts with a byte order mark (BOM).");
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json.ToArray(), new JsonDocumentOptions { MaxDepth = 16 });
        }
        catch (JsonException e)
        {
            throw new ProtocolException(ProtocolError.InvalidJson, $"The JSON header is not valid JSON: {e.Message}", e);
        }
        using (document)
        {
            JsonChecks.ThrowIfRepeatedKeyOrLoneSurrogate(document.RootElement, "The JSON header", requiredOnly: RequiredKeys);
            return FromObject(document.RootElement, limits);
        }
    }

    /// <inheritdoc/>
    public override string ToString() => Encoding.UTF8.GetString(ToJsonBytes());

    internal static ProtocolException HeaderTooLong(int length, MessageLimits limits) =>
        new(ProtocolError.HeaderTooLong,
            $"The JSON header is {length} bytes long; the limit MaxHeaderLength is {limits.MaxHeaderLength} bytes.");

    private static bool IsKnownEncoding(string? encoding) => encoding is Utf8Encoding or BinaryEncoding;

    private static MessageHeader FromObject(JsonElement root, MessageLimits limits)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new ProtocolException(ProtocolError.InvalidJson, $"The JSON header must be a JSON object, not {root.ValueKind}.");
        }
        string? byteOrder = null, contentType = null, contentEncoding = null;
        long? contentLength = null;
        foreach (var property in root.EnumerateObject())
        {
            switch (property.Name)
            {
                case "byteorder":
                    Once(byteOrder, property.Name);
                    byteOrder = String(property);
                    break;
                case "content-type":
                    Once(contentType, property.Name);
                    contentType = String(property);
                    break;
                case "content-encoding":
                    Once(contentEncoding, property.Name);
                    contentEncoding = String(property);
                    break;
                case "content-length":
                    Once(contentLength, property.Name);
                    contentLength = Length(property.Value, limits);
                    break;
            }
        }
        if (byteOrder is null || contentType is null || contentEncoding is null || contentLength is null)
        {
            string missing = string.Join(", ", RequiredKeys.Where(key => !root.TryGetProperty(key, out _)));
            throw new ProtocolException(ProtocolError.MissingKey, $"The JSON header lacks the required key(s): {missing}.");
        }
        if (byteOrder is not ("little" or "big"))
        {
            throw new ProtocolException(ProtocolError.InvalidValue, $"byteorder must be 'little' or 'big', not {PythonRepr.Str(byteOrder, MaxQuotedChars)}.");
        }
        if (!IsKnownEncoding(contentEncoding))
        {
            throw new ProtocolException(ProtocolError.UnknownEncoding,
                $"content-encoding {PythonRepr.Str(contentEncoding, MaxQuotedChars)} is unknown; the protocol knows '{Utf8Encoding}' and '{BinaryEncoding}'.");
        }
        return new MessageHeader(byteOrder, contentType, contentEncoding, (int)contentLength.Value);
    }

    // A peer's value quoted in an error detail (and so in the server's log) is escaped as Python's
    // repr() and cut: a newline in it must not forge a log line, an ESC not colour the terminal.
    internal const int MaxQuotedChars = 80;

    private static void Once<T>(T? seen, string key)
    {
        if (seen is not null)
        {
            // Python would silently keep the last one; two lengths in one header is an ambiguity we refuse.
            throw new ProtocolException(ProtocolError.RepeatedKey, $"The JSON header has the key \"{key}\" more than once.");
        }
    }

    private static string String(JsonProperty property) =>
        property.Value.ValueKind == JsonValueKind.String
            ? property.Value.GetString()!
            : throw new ProtocolException(ProtocolError.InvalidValue, $"{property.Name} must be a string, not {property.Value.ValueKind}.");

    private static long Length(JsonElement value, MessageLimits limits)
    {
        if (value.ValueKind != JsonValueKind.Number)
        {
            throw new ProtocolException(ProtocolError.InvalidContentLength, $"content-length must be an integer, not {value.ValueKind}.");
        }
        string raw = value.GetRawText();
        bool negative = raw.StartsWith('-');
        string digits = negative ? raw[1..] : raw;
        if (!digits.All(char.IsAsciiDigit))
        {
            throw new ProtocolException(ProtocolError.InvalidContentLength, $"content-length must be a whole number of bytes, not {raw}.");
        }
        string significant = digits.TrimStart('0');
        if (negative && significant.Length > 0)
        {
            throw new ProtocolException(ProtocolError.InvalidContentLength, $"content-length must not be negative, got {raw}.");
        }
        // Compared as text first so that a 40-digit length is refused without overflowing.
        if (significant.Length > 10 || (significant.Length > 0 && long.Parse(significant, System.Globalization.CultureInfo.InvariantCulture) > limits.MaxContentLength))
        {
            throw new ProtocolException(ProtocolError.ContentTooLong,
                $"content-length {raw} exceeds the limit MaxContentLength of {limits.MaxContentLength} bytes.");
        }
        return significant.Length == 0 ? 0 : long.Parse(significant, System.Globalization.CultureInfo.InvariantCulture);
    }
}
