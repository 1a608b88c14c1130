namespace SocketsNotebooks.PubSub;

/// <summary>Why the <see cref="Broker"/> closed one connection; written into the trace's <c>Close</c> note.</summary>
public enum PubSubCloseReason
{
    /// <summary>The peer closed between messages (a 0-byte <c>recv()</c>).</summary>
    PeerClosed,
    /// <summary>The peer reset the connection (RST).</summary>
    PeerReset,
    /// <summary>The bytes broke the section 3 framing or a <see cref="AppProtocol.MessageLimits"/> limit.</summary>
    ProtocolError,
    /// <summary>A well-framed message that is not a pub/sub command (unknown verb, missing topic, not UTF-8).</summary>
    BadCommand,
    /// <summary>
    /// The subscriber's outgoing queue reached <see cref="BrokerOptions.MaxQueuedMessages"/> or
    /// <see cref="BrokerOptions.MaxQueuedBytes"/>: it could not keep up, so it was cut off rather than
    /// letting memory grow (Redis's <c>client-output-buffer-limit</c> does the same).
    /// </summary>
    SlowSubscriber,
    /// <summary>Any other socket error.</summary>
    SocketError,
    /// <summary>The broker was stopped with the connection open.</summary>
    Stopped,
}
