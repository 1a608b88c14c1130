using System.Text;
using SocketsNotebooks.AppProtocol;

namespace SocketsNotebooks.Tests.AppProtocol;

public sealed class MessageHeaderTests
{
    private const string Good = """{"byteorder": "little", "content-type": "text/json", "content-encoding": "utf-8", "content-length": 43}""";

    [Fact]
    public void Parse_TutorialHeader_ReadsAllFourKeys()
    {
        var header = MessageHeader.Parse(Encoding.UTF8.GetBytes(Good));

        Assert.Equal(new MessageHeader("little", "text/json", "utf-8", 43), header);
        Assert.True(header.IsJson);
    }

    [Fact]
    public void ToJsonBytes_TutorialHeader_RoundTripsByteForByte()
    {
        Assert.Equal(Good, Encoding.UTF8.GetString(new MessageHeader("little", "text/json", "utf-8", 43).ToJsonBytes()));
    }

    [Theory]
    [InlineData("""{"content-length": 1, "content-encoding": "binary", "extra": [1, {"x": null}], "content-type": "a/b", "byteorder": "big"}""")]
    [InlineData("""  {"byteorder":"big","content-type":"","content-encoding":"utf-8","content-length":0}  """)]
    [InlineData("""{"byteorder": "little", "content-type": "text/json", "content-encoding": "utf-8", "content-length": -0}""")]
    [InlineData("""{"byteorder": "little", "content-type": "text/json", "content-encoding": "utf-8", "content-length": 1048576}""")]
    public void Parse_OtherValidHeaders_Accepted(string json)
    {
        var header = MessageHeader.Parse(Encoding.UTF8.GetBytes(json));

        Assert.InRange(header.ContentLength, 0, MessageLimits.Default.MaxContentLength);
    }

    [Theory]
    [InlineData("", ProtocolError.InvalidJson)]
    [InlineData("not json", ProtocolError.InvalidJson)]
    [InlineData("[1, 2]", ProtocolError.InvalidJson)]
    [InlineData("\"text\"", ProtocolError.InvalidJson)]
    [InlineData("""{"byteorder": "little"} trailing""", ProtocolError.InvalidJson)]
    [InlineData("""{"byteorder": "little", "content-type": "text/json", "content-encoding": "utf-8"}""", ProtocolError.MissingKey)]
    [InlineData("""{}""", ProtocolError.MissingKey)]
    [InlineData("""{"byteorder": "little", "content-type": "text/json", "content-encoding": "utf-8", "content-length": 1, "content-length": 2}""", ProtocolError.RepeatedKey)]
    [InlineData("""{"byteorder": "middle", "content-type": "text/json", "content-encoding": "utf-8", "content-length": 1}""", ProtocolError.InvalidValue)]
    [InlineData("""{"byteorder": 1, "content-type": "text/json", "content-encoding": "utf-8", "content-length": 1}""", ProtocolError.InvalidValue)]
    [InlineData("""{"byteorder": "big", "content-type": null, "content-encoding": "utf-8", "content-length": 1}""", ProtocolError.InvalidValue)]
    [InlineData("""{"byteorder": "big", "content-type": "text/json", "content-encoding": "utf-16", "content-length": 1}""", ProtocolError.UnknownEncoding)]
    [InlineData("""{"byteorder": "big", "content-type": "text/json", "content-encoding": "utf-8", "content-length": -1}""", ProtocolError.InvalidContentLength)]
    [InlineData("""{"byteorder": "big", "content-type": "text/json", "content-encoding": "utf-8", "content-length": 1.5}""", ProtocolError.InvalidContentLength)]
    [InlineData("""{"byteorder": "big", "content-type": "text/json", "content-encoding": "utf-8", "content-length": 43.0}""", ProtocolError.InvalidContentLength)]
    [InlineData("""{"byteorder": "big", "content-type": "text/json", "content-encoding": "utf-8", "content-length": 1e3}""", ProtocolError.InvalidContentLength)]
    [InlineData("""{"byteorder": "big", "content-type": "text/json", "content-encoding": "utf-8", "content-length": "43"}""", ProtocolError.InvalidContentLength)]
    [InlineData("""{"byteorder": "big", "content-type": "text/json", "content-encoding": "utf-8", "content-length": null}""", ProtocolError.InvalidContentLength)]
    [InlineData("""{"byteorder": "big", "content-type": "text/json", "content-encoding": "utf-8", "content-length": 1048577}""", ProtocolError.ContentTooLong)]
    [InlineData("""{"byteorder": "big", "content-type": "text/json", "content-encoding": "utf-8", "content-length": 2147483648}""", ProtocolError.ContentTooLong)]
    [InlineData("""{"byteorder": "big", "content-type": "text/json", "content-encoding": "utf-8", "content-length": 99999999999999999999999999999}""", ProtocolError.ContentTooLong)]
    public void Parse_BrokenHeader_ThrowsTypedError(string json, ProtocolError expected)
    {
        var error = Assert.Throws<ProtocolException>(() => MessageHeader.Parse(Encoding.UTF8.GetBytes(json)));

        Assert.Equal(expected, error.Error);
    }

    [Fact]
    public void Parse_InvalidUtf8_ThrowsInvalidJson()
    {
        byte[] json = [.. "{\"byteorder\": \""u8, 0xC3, 0x28, .. "\"}"u8];

        Assert.Equal(ProtocolError.InvalidJson, Assert.Throws<ProtocolException>(() => MessageHeader.Parse(json)).Error);
    }

    [Fact]
    public void Parse_ByteOrderMark_ThrowsInvalidJson()
    {
        byte[] json = [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(Good)];

        Assert.Equal(ProtocolError.InvalidJson, Assert.Throws<ProtocolException>(() => MessageHeader.Parse(json)).Error);
    }

    [Fact]
    public void Parse_ContentOverLimit_MessageNamesTheLimit()
    {
        var limits = new MessageLimits { MaxContentLength = 10 };

        var error = Assert.Throws<ProtocolException>(() => MessageHeader.Parse(Encoding.UTF8.GetBytes(Good), limits));

        Assert.Equal(ProtocolError.ContentTooLong, error.Error);
        Assert.Contains("MaxContentLength", error.Message);
        Assert.Contains("10 bytes", error.Message);
        Assert.Contains("43", error.Message);
    }

    [Fact]
    public void Parse_HeaderOverLimit_ThrowsHeaderTooLong()
    {
        var limits = new MessageLimits { MaxHeaderLength = 50 };

        var error = Assert.Throws<ProtocolException>(() => MessageHeader.Parse(Encoding.UTF8.GetBytes(Good), limits));

        Assert.Equal(ProtocolError.HeaderTooLong, error.Error);
        Assert.Contains("MaxHeaderLength", error.Message);
    }

    [Fact]
    public void Constructor_UnknownEncoding_Throws()
    {
        Assert.Throws<ArgumentException>(() => new MessageHeader("little", "text/json", "latin-1", 0));
    }
}
