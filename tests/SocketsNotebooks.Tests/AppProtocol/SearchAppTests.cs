using System.Text;
using System.Text.Json.Nodes;
using SocketsNotebooks.AppProtocol;

namespace SocketsNotebooks.Tests.AppProtocol;

public sealed class SearchAppTests
{
    private readonly SearchApp _app = new();

    [Theory]
    [InlineData("morpheus", "Follow the white rabbit. 🐰")]
    [InlineData("ring", "In the caves beneath the Misty Mountains. 💍")]
    [InlineData("🐶", "🐾 Playing ball! 🏐")]
    [InlineData("neo", "No match for 'neo'.")]
    public void Respond_Search_AnswersFromTheTable(string value, string expected)
    {
        var response = _app.Respond(AppClient.JsonRequest("search", value));

        Assert.True(response.IsJson);
        Assert.Equal(expected, response.JsonString("result"));
    }

    [Fact]
    public void Respond_UnknownAction_SaysInvalidAction()
    {
        Assert.Equal("Error: invalid action 'dance'.", _app.Respond(AppClient.JsonRequest("dance", "x")).JsonString("result"));
        Assert.Equal("Error: invalid action 'None'.", _app.Respond(Message.Json(new JsonObject { ["value"] = "x" })).JsonString("result"));
    }

    [Fact]
    public void Respond_Binary_EchoesFirstTenBytes()
    {
        var response = _app.Respond(AppClient.CreateRequest("binary", "🐶🐶🐶"));

        Assert.Equal(Message.ServerBinaryType, response.Header.ContentType);
        Assert.Equal(MessageHeader.BinaryEncoding, response.Header.ContentEncoding);
        Assert.Equal([.. "First 10 bytes of request: binary"u8, 0xF0, 0x9F, 0x90, 0xB6], response.Content.ToArray());
    }

    [Fact]
    public void Respond_EmptyContent_Answered()
    {
        Assert.Equal("First 10 bytes of request: ", Encoding.UTF8.GetString(_app.Respond(Message.Binary([])).Content.Span));
        Assert.Equal("Error: empty request.", _app.Respond(Message.Create([], "text/json", "utf-8")).JsonString("result"));
    }

    [Fact]
    public void Respond_JsonContentNotAnObject_ThrowsInvalidContent()
    {
        var request = Message.Create("[1, 2]"u8.ToArray(), "text/json", "utf-8");

        Assert.Equal(ProtocolError.InvalidContent, Assert.Throws<ProtocolException>(() => _app.Respond(request)).Error);
    }

    [Fact]
    public void Respond_NewAction_IsUsed()
    {
        _app.Actions["shout"] = value => value?.ToUpperInvariant() + "!";

        Assert.Equal("HI!", _app.Respond(AppClient.JsonRequest("shout", "hi")).JsonString("result"));
    }
}
