using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using SocketsNotebooks.AppProtocol;

namespace SocketsNotebooks.PubSub;

/// <summary>
/// One pub/sub command, carried as the UTF-8 text content of one notebook-03 <see cref="AppProtocol.Message"/>:
/// <c>subscribe 100</c>, <c>publish 10001 23 45</c>, <c>message 10001 23 45</c>. The framing (2-byte length,
/// JSON header, content) already tells where a command ends, so the text needs no terminator and a
/// payload may hold spaces; only a topic may not.
/// </summary>
/// <param name="Verb">What the command asks for or reports.</param>
/// <param name="Topic">The topic (publish, message), the prefix (subscribe, unsubscribe, and their acknowledgements) or the refused command (error); empty otherwise.</param>
/// <param name="Payload">The payload of publish/message, the subscription count of an acknowledgement as text, the reason of an error; empty otherwise.</param>
public sealed record PubSubCommand(PubSubVerb Verb, string Topic = "", string Payload = "")
{
    /// <summary>The content type the broker and the clients give their messages.</summary>
    public const string ContentType = "text/plain";

    /// <summary><c>subscribe &lt;prefix&gt;</c>.</summary>
    public static PubSubCommand Subscribe(string prefix) => new(PubSubVerb.Subscribe, CheckTopic(prefix, nameof(prefix), allowEmpty: true));

    /// <summary><c>unsubscribe &lt;prefix&gt;</c>.</summary>
    public static PubSubCommand Unsubscribe(string prefix) => new(PubSubVerb.Unsubscribe, CheckTopic(prefix, nameof(prefix), allowEmpty: true));

    /// <summary><c>publish &lt;topic&gt; &lt;payload&gt;</c>.</summary>
    public static PubSubCommand Publish(string topic, string payload) =>
        new(PubSubVerb.Publish, CheckTopic(topic, nameof(topic), allowEmpty: false), payload ?? throw new ArgumentNullException(nameof(payload)));

    /// <summary><c>message &lt;topic&gt; &lt;payload&gt;</c>: what a subscriber receives.</summary>
    public static PubSubCommand Delivery(string topic, string payload) =>
        new(PubSubVerb.Message, CheckTopic(topic, nameof(topic), allowEmpty: false), payload ?? throw new ArgumentNullException(nameof(payload)));

    /// <summary>The acknowledgement of a subscribe or unsubscribe, with the connection's subscription count.</summary>
    public static PubSubCommand Acknowledge(PubSubVerb verb, string prefix, int count) =>
        new(verb == PubSubVerb.Subscribe ? PubSubVerb.Subscribed : PubSubVerb.Unsubscribed, prefix, count.ToString(CultureInfo.InvariantCulture));

    /// <summary><c>error &lt;command&gt; &lt;reason&gt;</c>: the answer to a request the broker refused, naming the rule it broke.</summary>
    public static PubSubCommand Refusal(PubSubVerb refused, string reason) =>
        new(PubSubVerb.Error, Word(refused), reason ?? throw new ArgumentNullException(nameof(reason)));

    /// <summary>Whether this verb is one a client sends to the broker.</summary>
    public bool IsRequest => Verb is PubSubVerb.Subscribe or PubSubVerb.Unsubscribe or PubSubVerb.Publish or PubSubVerb.Ping;

    /// <summary>
    /// Reads a command from text. False (with the reason in <paramref name="error"/>) for an unknown
    /// verb, a missing or malformed topic, or extra words where none belong. Never throws.
    /// </summary>
    public static bool TryParse(string text, [NotNullWhen(true)] out PubSubCommand? command, out string error)
    {
        command = null;
        error = "";
        if (text is null)
        {
            error = "no text";
            return false;
        }
        int space = text.IndexOf(' ', StringComparison.Ordinal);
        string verbText = space < 0 ? text : text[..space];
        string rest = space < 0 ? "" : text[(space + 1)..];
        PubSubVerb? verb = verbText switch
        {
            "subscribe" => PubSubVerb.Subscribe,
            "unsubscribe" => PubSubVerb.Unsubscribe,
            "publish" => PubSubVerb.Publish,
            "ping" => PubSubVerb.Ping,
            "subscribed" => PubSubVerb.Subscribed,
            "unsubscribed" => PubSubVerb.Unsubscribed,
            "message" => PubSubVerb.Message,
            "pong" => PubSubVerb.Pong,
            "error" => PubSubVerb.Error,
            _ => null,
        };
        if (verb is null)
        {
            error = $"unknown command '{Shorten(verbText)}' (expected subscribe, unsubscribe, publish or ping)";
            return false;
        }
        switch (verb.Value)
        {
            case PubSubVerb.Ping or PubSubVerb.Pong:
                if (space >= 0)
                {
                    error = $"'{verbText}' takes no arguments";
                    return false;
                }
                command = new PubSubCommand(verb.Value);
                return true;
            case PubSubVerb.Subscribe or PubSubVerb.Unsubscribe:
                // "subscribe" alone (or "subscribe ") is the empty prefix: every topic, as ZeroMQ's empty filter.
                if (!IsTopic(rest, allowEmpty: true))
                {
                    error = $"'{verbText}' takes one prefix without spaces or control characters, not '{Shorten(rest)}'";
                    return false;
                }
                command = new PubSubCommand(verb.Value, rest);
                return true;
            default:
            {
                int split = rest.IndexOf(' ', StringComparison.Ordinal);
                string topic = split < 0 ? rest : rest[..split];
                string payload = split < 0 ? "" : rest[(split + 1)..];
                bool isAcknowledgement = verb is PubSubVerb.Subscribed or PubSubVerb.Unsubscribed;
                if (!IsTopic(topic, allowEmpty: isAcknowledgement))
                {
                    error = $"'{verbText}' needs a topic (one word, no control characters), not '{Shorten(topic)}'";
                    return false;
                }
                if (isAcknowledgement && !int.TryParse(payload, NumberStyles.None, CultureInfo.InvariantCulture, out _))
                {
                    error = $"'{verbText}' needs a subscription count, not '{Shorten(payload)}'";
                    return false;
                }
                command = new PubSubCommand(verb.Value, topic, payload);
                return true;
            }
        }
    }

    /// <summary>Reads a command from a framed message's content; false for text that is not a command or not UTF-8.</summary>
    public static bool TryParse(AppProtocol.Message message, [NotNullWhen(true)] out PubSubCommand? command, out string error)
    {
        ArgumentNullException.ThrowIfNull(message);
        string text;
        try
        {
            text = message.ContentText();
        }
        catch (ProtocolException e)
        {
            command = null;
            error = e.Message;
            return false;
        }
        return TryParse(text, out command, out error);
    }

    /// <summary>Whether <paramref name="topic"/> can be a topic: one word, no whitespace or control characters.</summary>
    public static bool IsTopic(string topic, bool allowEmpty = false) =>
        topic is not null && (allowEmpty || topic.Length > 0) && !topic.Any(c => char.IsWhiteSpace(c) || char.IsControl(c));

    /// <summary>The command as text: <c>publish 10001 23 45</c>.</summary>
    public string ToText() => Verb switch
    {
        PubSubVerb.Ping => "ping",
        PubSubVerb.Pong => "pong",
        PubSubVerb.Subscribe or PubSubVerb.Unsubscribe => $"{Word(Verb)} {Topic}",
        _ => $"{Word(Verb)} {Topic} {Payload}",
    };

    /// <summary>The command framed as a notebook-03 message (text/plain, utf-8).</summary>
    public AppProtocol.Message ToMessage() => AppProtocol.Message.Text(ToText(), ContentType);

    /// <summary>The framed message as it goes on the wire.</summary>
    public byte[] ToBytes() => MessageEncoder.Encode(ToMessage());

    /// <inheritdoc/>
    public override string ToString() => ToText();

    private static string Word(PubSubVerb verb) => verb.ToString().ToLowerInvariant();

    private static string CheckTopic(string topic, string name, bool allowEmpty) =>
        IsTopic(topic, allowEmpty) ? topic : throw new ArgumentException($"A topic is one word without spaces or control characters{(allowEmpty ? "" : " and not empty")}: '{topic}'.", name);

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";
}
