using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using SocketsNotebooks.Tracing;

namespace SocketsNotebooks.AppProtocol;

/// <summary>
/// One application message: a <see cref="MessageHeader"/> and the content it describes. On the
/// wire it is <c>[2-byte big-endian header length][JSON header][content]</c> (see
/// <see cref="MessageEncoder"/> and <see cref="MessageDecoder"/>), the layout of the tutorial's
/// <c>libclient.py</c>/<c>libserver.py</c>.
/// </summary>
public sealed class Message
{
    /// <summary>The size of the proto header: one big-endian unsigned 16-bit length.</summary>
    public const int ProtoHeaderLength = 2;

    /// <summary>The content type the tutorial's client gives a binary request.</summary>
    public const string ClientBinaryType = "binary/custom-client-binary-type";

    /// <summary>The content type the tutorial's server gives a binary response.</summary>
    public const string ServerBinaryType = "binary/custom-server-binary-type";

    private static readonly UTF8Encoding s_strictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
    private readonly ReadOnlyMemory<byte> _content;

    /// <summary>A message; <paramref name="content"/> must be exactly <c>header.ContentLength</c> bytes.</summary>
    public Message(MessageHeader header, byte[] content)
    {
        ArgumentNullException.ThrowIfNull(header);
        ArgumentNullException.ThrowIfNull(content);
        if (content.Length != header.ContentLength)
        {
            throw new ArgumentException($"The header says {header.ContentLength} bytes of content but {content.Length} were given.", nameof(content));
        }
        Header = header;
        _content = content;
    }

    // The decoder's: content in a pooled buffer, which may be longer than the content.
    internal Message(MessageHeader header, ReadOnlyMemory<byte> content)
    {
        Header = header;
        _content = content;
    }

    /// <summary>What the content is and how long.</summary>
    public MessageHeader Header { get; }

    /// <summary>The content bytes.</summary>
    public ReadOnlyMemory<byte> Content => _content;

    /// <summary>Whether the content is JSON (<c>text/json</c>).</summary>
    public bool IsJson => Header.IsJson;

    /// <summary>The content written the way Python prints bytes (<c>b'...'</c>).</summary>
    public string ContentRepr => PythonBytes.Repr(_content.Span);

    /// <summary>How many bytes the whole message takes on the wire.</summary>
    public int WireLength => ProtoHeaderLength + Header.ToJsonBytes().Length + _content.Length;

    /// <summary>
    /// A <c>text/json</c>, <c>utf-8</c> message whose content is <paramref name="content"/> written
    /// the way Python's <c>json.dumps(..., ensure_ascii=False)</c> writes it.
    /// </summary>
    public static Message Json(JsonObject content, string? byteOrder = null) =>
        Create(PythonJson.SerializeToUtf8(content), MessageHeader.JsonContentType, MessageHeader.Utf8Encoding, byteOrder);

    /// <summary>A text message, UTF-8 encoded.</summary>
    public static Message Text(string text, string contentType = "text/plain", string? byteOrder = null) =>
        Create(Encoding.UTF8.GetBytes(text), contentType, MessageHeader.Utf8Encoding, byteOrder);

    /// <summary>A binary message (the tutorial's client uses <see cref="ClientBinaryType"/>).</summary>
    public static Message Binary(ReadOnlySpan<byte> content, string contentType = ClientBinaryType, string? byteOrder = null) =>
        Create(content.ToArray(), contentType, MessageHeader.BinaryEncoding, byteOrder);

    /// <summary>A message with any content type and encoding; the header's length is the content's.</summary>
    public static Message Create(byte[] content, string contentType, string contentEncoding, string? byteOrder = null) =>
        new(new MessageHeader(byteOrder ?? MessageHeader.HostByteOrder, contentType, contentEncoding, content.Length), content);

    /// <summary>The content as text; throws <see cref="ProtocolException"/> if it is not valid UTF-8.</summary>
    public string ContentText()
    {
        try
        {
            return s_strictUtf8.GetString(_content.Span);
        }
        catch (DecoderFallbackException e)
        {
            throw new ProtocolException(ProtocolError.InvalidContent, "The content is not valid UTF-8.", e);
        }
    }

    /// <summary>
    /// The content as a JSON object (what the tutorial's <c>_json_decode</c> returns); throws
    /// <see cref="ProtocolException"/> if it is not one.
    /// </summary>
    public JsonObject ContentJson()
    {
        string text = ContentText();
        var options = new JsonDocumentOptions { MaxDepth = 64 };
        try
        {
            // JsonNode accepts both of these and throws later, when the object is read (ArgumentException,
            // InvalidOperationException): checked here, so they are the peer's protocol errors, not the app's.
            using (var document = JsonDocument.Parse(text, options))
            {
                if (document.RootElement.ValueKind != JsonValueKind.Object)
                {
                    throw new ProtocolException(ProtocolError.InvalidContent, $"The content is JSON but not a JSON object: {document.RootElement.ValueKind}.");
                }
                JsonChecks.ThrowIfRepeatedKeyOrLoneSurrogate(document.RootElement, "The content");
            }
            return (JsonObject)JsonNode.Parse(text, documentOptions: options)!;
        }
        catch (JsonException e)
        {
            throw new ProtocolException(ProtocolError.InvalidContent, $"The content is not valid JSON: {e.Message}", e);
        }
    }

    /// <summary>The string under <paramref name="key"/> in JSON content, or null (like Python's <c>dict.get</c>).</summary>
    public string? JsonString(string key)
    {
        var value = ContentJson()[key];
        return value is JsonValue v && v.TryGetValue(out string? s) ? s : value?.ToJsonString();
    }

    /// <summary>The whole message as it goes on the wire.</summary>
    public byte[] ToBytes() => MessageEncoder.Encode(this);

    /// <inheritdoc/>
    public override string ToString() =>
        $"{Header.ContentType} ({Header.ContentEncoding}, {Header.ContentLength} bytes): {PythonBytes.Repr(_content.Span, 80)}";
}
