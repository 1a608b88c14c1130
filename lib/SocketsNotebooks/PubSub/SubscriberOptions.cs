namespace SocketsNotebooks.PubSub;

/// <summary>Settings of a <see cref="Subscriber"/>.</summary>
public sealed record SubscriberOptions
{
    /// <summary>
    /// The slow subscriber: it reads the acknowledgement of its first subscription, then stops reading.
    /// Its kernel buffers fill, then its queue in the broker, until the broker cuts it off.
    /// </summary>
    public bool Slow { get; init; }

    /// <summary>SO_RCVBUF, set before connecting, or null for the OS default. Small makes a slow subscriber's kernel buffer fill sooner.</summary>
    public int? ReceiveBufferSize { get; init; }

    /// <summary>SO_SNDBUF, set before connecting, or null for the OS default. Small makes a request wait (and time out) sooner when the broker does not read.</summary>
    public int? SendBufferSize { get; init; }

    /// <summary>The buffer size of each <c>recv()</c>.</summary>
    public int ReceiveSize { get; init; } = 64 * 1024;

    /// <summary>Keep every message received in <see cref="Subscriber.Messages"/> (false: only count them; a benchmark's choice).</summary>
    public bool KeepMessages { get; init; } = true;

    /// <summary>How long connecting, subscribing and pinging may take.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The clock <see cref="Timeout"/> runs on (null = the system's; a test passes a fake one, as the servers take).</summary>
    public TimeProvider? TimeProvider { get; init; }

    /// <summary>
    /// Called for each message as it arrives, on the subscriber's reading task (the CLI prints from here).
    /// If it throws, the subscriber ends: that message does not count, <see cref="Subscriber.Closed"/> says why.
    /// </summary>
    public Action<PubSubMessage>? OnMessage { get; init; }
}
