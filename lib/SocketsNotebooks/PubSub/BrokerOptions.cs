using System.Net;
using SocketsNotebooks.AppProtocol;
using SocketsNotebooks.Tracing;

namespace SocketsNotebooks.PubSub;

/// <summary>Settings of a <see cref="Broker"/>; every one has a default that suits a notebook.</summary>
public sealed record BrokerOptions
{
    /// <summary>Where to listen: 127.0.0.1 and a port the OS picks, unless told otherwise.</summary>
    public IPEndPoint EndPoint { get; init; } = new(IPAddress.Loopback, 0);

    /// <summary>The listen backlog.</summary>
    public int Backlog { get; init; } = 1024;

    /// <summary>
    /// The most connections held at once; one more is accepted and closed at once (<c>CloseReason.Overloaded</c>).
    /// Null (the default): the process's descriptor limit (<c>ulimit -n</c>) less a reserve the runtime
    /// needs, less what is open when the server starts; a smaller number here wins. See <c>SelectorServer.MaxConnections</c>.
    /// </summary>
    public int? MaxConnections { get; init; }

    /// <summary>
    /// An optional limit on one subscriber's queue of published messages, in messages (default: none):
    /// one more cuts it off at once. A burst can put thousands in a queue within one wake-up while the
    /// subscriber reads as fast as it can, so a count is no sign of a slow reader; a notebook sets one to
    /// make the cut-off easy to see. Replies to the connection's own commands never count.
    /// </summary>
    public int MaxQueuedMessages { get; init; } = int.MaxValue;

    /// <summary>
    /// The hard limit, in bytes of published messages waiting for one subscriber: passing it cuts the
    /// subscriber off at once (<see cref="CloseReason.SlowSubscriber"/>) (default 32 MiB, Redis's hard limit for
    /// pub/sub clients: about 250,000 small messages; a burst bigger than that for one subscriber is more than
    /// the broker agrees to hold for it).
    /// Replies to the connection's own commands never count; a connection with this many bytes of replies
    /// waiting is not read until they have gone out.
    /// </summary>
    public long MaxQueuedBytes { get; init; } = 32 * 1024 * 1024;

    /// <summary>
    /// The soft limit, in bytes of published messages waiting for one subscriber (default 8 MiB, Redis's): a
    /// subscriber that stays over it for <see cref="SoftQueuedTime"/> without a break is cut off. A reader that
    /// falls behind for a moment (a pause, a burst) catches up and is forgiven; one that cannot keep up is not.
    /// The clock runs only while the broker reads its publishers: when they are paused
    /// (<see cref="MaxTotalQueuedBytes"/>), the broker is waiting for all its subscribers, and nobody is blamed
    /// for the backlog then. At most <see cref="MaxQueuedBytes"/>.
    /// </summary>
    public long SoftQueuedBytes { get; init; } = 8 * 1024 * 1024;

    /// <summary>
    /// How long a subscriber may stay over <see cref="SoftQueuedBytes"/> (default 10 s; Redis's 60 s is long
    /// for a notebook, and 10 s of a publisher outrunning a reader by 8 MiB is not a passing burst). While the
    /// broker is full (<see cref="MaxTotalQueuedBytes"/>), it is also how long a subscriber may take nothing at
    /// all with messages waiting, however few: one that is not reading holds the publishers up.
    /// </summary>
    public TimeSpan SoftQueuedTime { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// A cap on bytes waiting in all outgoing queues together (default 256 MiB), so the broker's memory is
    /// bounded however many subscribers there are (150 at the hard limit would be about 4.7 GiB). Past it, the broker
    /// stops reading from connections that publish, and reads them again when the total is down to half:
    /// TCP then makes the publishers' <c>send()</c> wait (notebook 04), and no subscriber that reads is cut off
    /// for a burst. Replies still go out.
    /// </summary>
    public long MaxTotalQueuedBytes { get; init; } = 256 * 1024 * 1024;

    /// <summary>
    /// How many prefixes one connection may subscribe to (default 1,000). One more is refused with
    /// <c>error subscribe &lt;reason&gt;</c> (<see cref="PubSubVerb.Error"/>); the connection and its subscriptions stay.
    /// </summary>
    public int MaxSubscriptions { get; init; } = 1000;

    /// <summary>
    /// The framing limits for what clients send. A publish carries a small payload, so content is
    /// capped at 64 KiB. The idle timeout is not applied: a subscriber that only listens is silent by design.
    /// </summary>
    public MessageLimits Limits { get; init; } = new() { MaxContentLength = 64 * 1024 };

    /// <summary>The buffer size of each <c>recv()</c>.</summary>
    public int ReceiveSize { get; init; } = 64 * 1024;

    /// <summary>
    /// SO_SNDBUF of every accepted socket, or null for the OS default. The kernel's send buffer (and
    /// the subscriber's receive buffer) hold messages before the broker's queue does; a notebook makes
    /// them small so a slow subscriber reaches the broker's limit in well under a second.
    /// </summary>
    public int? SendBufferSize { get; init; }

    /// <summary>How often each subscriber's delivered and queued counts are sampled for the charts (null = not at all).</summary>
    public TimeSpan? SampleInterval { get; init; } = TimeSpan.FromMilliseconds(5);

    /// <summary>The most samples kept per subscriber; later ones are dropped so a long-running broker does not grow.</summary>
    public int MaxSamplesPerSubscriber { get; init; } = 5000;

    /// <summary>
    /// How many closed connections <see cref="Broker.Closed"/> remembers: the newest ones are kept, older
    /// ones forgotten, so a broker that runs for days (the CLI) stays the same size.
    /// 1,000 is far more than a notebook makes; 0 keeps none.
    /// </summary>
    public int MaxClosedRecords { get; init; } = 1000;

    /// <summary>Called with a line for each connection opened or closed; runs on the loop's thread (the CLI prints these).</summary>
    public Action<string>? Log { get; init; }

    /// <summary>The clock its deadlines are measured on (null = the system's); a test passes a fake one and moves it by hand.</summary>
    public TimeProvider? TimeProvider { get; init; }
}
