using CsCheck;
using SocketsNotebooks.AppProtocol;
using SocketsNotebooks.PubSub;

namespace SocketsNotebooks.Tests.PubSub;

public sealed class PubSubCommandTests
{
    private const int PropertyIterations = 2000;

    private static readonly Gen<string> s_piece = Gen.OneOf("1", "0", "a", " ", "  ", "é", "🐰", "\t", "\n", "\u0000", "publish", "subscribe", "ping");
    private static readonly Gen<string> s_text = s_piece.Array[0, 12].Select(string.Concat);
    private static readonly Gen<string> s_topic = Gen.OneOf("1", "0", "a", "é", "🐰", "/", ".").Array[1, 8].Select(string.Concat);

    [Theory]
    [InlineData("subscribe 100", PubSubVerb.Subscribe, "100", "")]
    [InlineData("subscribe", PubSubVerb.Subscribe, "", "")]
    [InlineData("publish 10001 23 45", PubSubVerb.Publish, "10001", "23 45")]
    [InlineData("publish 10001", PubSubVerb.Publish, "10001", "")]
    [InlineData("publish t  two spaces", PubSubVerb.Publish, "t", " two spaces")]
    [InlineData("message 10001 23 45", PubSubVerb.Message, "10001", "23 45")]
    [InlineData("subscribed  1", PubSubVerb.Subscribed, "", "1")]
    [InlineData("ping", PubSubVerb.Ping, "", "")]
    [InlineData("error subscribe MaxSubscriptions = 1,000 reached", PubSubVerb.Error, "subscribe", "MaxSubscriptions = 1,000 reached")]
    public void TryParse_Examples_ReadsVerbTopicPayload(string text, PubSubVerb verb, string topic, string payload)
    {
        Assert.True(PubSubCommand.TryParse(text, out var command, out string error), error);

        Assert.Equal(new PubSubCommand(verb, topic, payload), command);
    }

    [Theory]
    [InlineData("", "unknown command ''")]
    [InlineData("PUBLISH t x", "unknown command 'PUBLISH'")]
    [InlineData("publish", "'publish' needs a topic")]
    [InlineData("publish  x", "'publish' needs a topic")]
    [InlineData("publish t\nx", "'publish' needs a topic")]
    [InlineData("subscribe a b", "'subscribe' takes one prefix")]
    [InlineData("ping now", "'ping' takes no arguments")]
    [InlineData("subscribed 100 many", "'subscribed' needs a subscription count")]
    [InlineData("error", "'error' needs a topic")]
    public void TryParse_Malformed_FalseWithReason(string text, string reason)
    {
        Assert.False(PubSubCommand.TryParse(text, out var command, out string error));

        Assert.Null(command);
        Assert.StartsWith(reason, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Refusal_Subscribe_ErrorNamingTheCommandAndReasonRoundTrips()
    {
        var refusal = PubSubCommand.Refusal(PubSubVerb.Subscribe, "MaxSubscriptions = 1,000 reached");

        Assert.Equal("error subscribe MaxSubscriptions = 1,000 reached", refusal.ToText());
        var decoded = MessageDecoder.DecodeAll(refusal.ToBytes());
        Assert.True(PubSubCommand.TryParse(decoded.Single(), out var back, out string error), error);
        Assert.Equal(refusal, back);
        Assert.False(back.IsRequest);
    }

    [Fact]
    public void TryParse_InvalidUtf8Content_FalseWithReason()
    {
        var message = Message.Create([0x70, 0xFF], PubSubCommand.ContentType, MessageHeader.Utf8Encoding);

        Assert.False(PubSubCommand.TryParse(message, out _, out string error));
        Assert.Contains("UTF-8", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Publish_AnyTopicAndPayload_RoundTripsThroughTheWire()
    {
        Gen.Select(s_topic, s_text).Sample((topic, payload) =>
        {
            var sent = PubSubCommand.Publish(topic, payload);
            var decoded = MessageDecoder.DecodeAll(sent.ToBytes());
            return decoded.Count == 1 && PubSubCommand.TryParse(decoded[0], out var back, out _) && back == sent;
        }, iter: PropertyIterations, seed: "0N0XIzNsQ0O2");
    }

    [Fact]
    public void TryParse_AnyText_NeverThrowsAndFalseAlwaysHasAReason()
    {
        s_text.Sample(text =>
        {
            bool ok = PubSubCommand.TryParse(text, out var command, out string error);
            return ok ? command is not null && PubSubCommand.TryParse(command.ToText(), out var again, out _) && again == command : error.Length > 0;
        }, iter: PropertyIterations, seed: "0N0XIzNsQ0O2");
    }

    [Theory]
    [InlineData("")]
    [InlineData("two words")]
    [InlineData("tab\there")]
    public void Publish_BadTopic_Throws(string topic) =>
        Assert.Throws<ArgumentException>(() => PubSubCommand.Publish(topic, "x"));
}
