using System.Text;
using System.Text.Json.Nodes;
using SocketsNotebooks.AppProtocol;

namespace SocketsNotebooks.Tests.AppProtocol;

public sealed class MessageEncoderTests
{
    [Fact]
    public void Encode_MorpheusSearch_EqualsPythonRequestBytes()
    {
        var request = Message.Json(new JsonObject { ["action"] = "search", ["value"] = "morpheus" }, byteOrder: "little");

        byte[] bytes = MessageEncoder.Encode(request);

        Assert.Equal(GoldenBytes.MorpheusRequest, bytes);
        Assert.Equal(new byte[] { 0x00, 0x67 }, bytes[..2]);
    }

    [Fact]
    public void Encode_MorpheusResult_EqualsPythonResponseBytes()
    {
        var response = Message.Json(new JsonObject { ["result"] = "Follow the white rabbit. 🐰" }, byteOrder: "little");

        Assert.Equal(GoldenBytes.MorpheusResponse, response.ToBytes());
    }

    [Fact]
    public void Encode_MorpheusSearch_DecodesBackIdentically()
    {
        var request = Message.Json(new JsonObject { ["action"] = "search", ["value"] = "morpheus" });

        var decoded = Assert.Single(MessageDecoder.DecodeAll(request.ToBytes()));

        Assert.Equal(request.Header, decoded.Header);
        Assert.Equal(request.Content.ToArray(), decoded.Content.ToArray());
        Assert.Equal("morpheus", decoded.JsonString("value"));
    }

    [Fact]
    public void Encode_BinaryRequest_UsesBinaryEncodingAndRawContent()
    {
        var request = Message.Binary(Encoding.UTF8.GetBytes("binary🐶"), byteOrder: "big");

        byte[] bytes = request.ToBytes();

        string header = Encoding.UTF8.GetString(bytes, 2, (bytes[0] << 8) | bytes[1]);
        Assert.Equal("""{"byteorder": "big", "content-type": "binary/custom-client-binary-type", "content-encoding": "binary", "content-length": 10}""", header);
        Assert.Equal(Encoding.UTF8.GetBytes("binary🐶"), bytes[^10..]);
    }

    [Fact]
    public void Encode_EmptyContent_WritesZeroLength()
    {
        byte[] bytes = Message.Binary([]).ToBytes();

        Assert.EndsWith("\"content-length\": 0}", Encoding.UTF8.GetString(bytes));
    }

    [Fact]
    public void Encode_HeaderOver65535Bytes_ThrowsHeaderTooLong()
    {
        var message = Message.Binary([1, 2, 3], contentType: new string('x', 70_000));

        var error = Assert.Throws<ProtocolException>(() => MessageEncoder.Encode(message));

        Assert.Equal(ProtocolError.HeaderTooLong, error.Error);
    }

    [Fact]
    public void Frame_HeaderText_MatchesHandBuiltFrame()
    {
        string header = """{"byteorder": "little", "content-type": "text/json", "content-encoding": "utf-8", "content-length": 43}""";

        Assert.Equal(GoldenBytes.MorpheusResponse, MessageEncoder.Frame(header, Encoding.UTF8.GetBytes("""{"result": "Follow the white rabbit. 🐰"}""")));
        Assert.Equal(GoldenBytes.Frame("[]", ""), MessageEncoder.Frame("[]"));
    }

    [Theory]
    [InlineData("plain", "\"plain\"")]
    [InlineData("🐰 ü", "\"🐰 ü\"")]
    [InlineData("quote\" back\\slash", "\"quote\\\" back\\\\slash\"")]
    [InlineData("tab\tnl\ncr\r", "\"tab\\tnl\\ncr\\r\"")]
    [InlineData("\u0001\u007f", "\"\\u0001\u007f\"")]
    public void PythonJson_String_EscapesLikeJsonDumps(string value, string expected)
    {
        Assert.Equal(expected, PythonJson.Serialize(JsonValue.Create(value)));
    }

    [Fact]
    public void PythonJson_NestedObject_UsesPythonSeparators()
    {
        var node = new JsonObject { ["a"] = 1, ["b"] = new JsonArray(true, null, "x"), ["c"] = new JsonObject() };

        Assert.Equal("""{"a": 1, "b": [true, null, "x"], "c": {}}""", PythonJson.Serialize(node));
    }
}
