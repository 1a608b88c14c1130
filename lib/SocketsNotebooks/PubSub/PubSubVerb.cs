namespace SocketsNotebooks.PubSub;

/// <summary>
/// The first word of every pub/sub message. The first four go from a client to the
/// <see cref="Broker"/>, the other five come back, in the manner of Redis's <c>SUBSCRIBE</c>/<c>PUBLISH</c>
/// replies (and its <c>-ERR</c>).
/// </summary>
public enum PubSubVerb
{
    /// <summary><c>subscribe &lt;prefix&gt;</c>: deliver every message whose topic starts with the prefix (an empty prefix matches all).</summary>
    Subscribe,
    /// <summary><c>unsubscribe &lt;prefix&gt;</c>: stop a subscription made earlier.</summary>
    Unsubscribe,
    /// <summary><c>publish &lt;topic&gt; &lt;payload&gt;</c>: hand a message to every subscriber whose prefix matches the topic.</summary>
    Publish,
    /// <summary><c>ping</c>: the broker answers <c>pong</c> after everything sent before it was handled.</summary>
    Ping,
    /// <summary><c>subscribed &lt;prefix&gt; &lt;count&gt;</c>: the broker's acknowledgement, with how many subscriptions the connection now has.</summary>
    Subscribed,
    /// <summary><c>unsubscribed &lt;prefix&gt; &lt;count&gt;</c>: the acknowledgement of an unsubscribe.</summary>
    Unsubscribed,
    /// <summary><c>message &lt;topic&gt; &lt;payload&gt;</c>: one published message, delivered to a subscriber.</summary>
    Message,
    /// <summary><c>pong</c>: the answer to <c>ping</c>.</summary>
    Pong,
    /// <summary>
    /// <c>error &lt;command&gt; &lt;reason&gt;</c>: the broker refused one request (e.g. a <c>subscribe</c> past
    /// <see cref="BrokerOptions.MaxSubscriptions"/>) and answers it with this instead; the connection stays open.
    /// </summary>
    Error,
}
