using System.Net.Sockets;
using SocketsNotebooks.AppProtocol;
using SocketsNotebooks.Selectors;
using SocketsNotebooks.Tracing;
using Stopwatch = System.Diagnostics.Stopwatch;

namespace SocketsNotebooks.PubSub;

/// <summary>
/// A publish/subscribe broker: notebook 03's message format, many messages per connection, and the
/// event loop of notebook 02 (<see cref="SelectorServer"/>: one thread, a <see cref="Selector"/>). Subscribers send <c>subscribe &lt;prefix&gt;</c>,
/// publishers send <c>publish &lt;topic&gt; &lt;payload&gt;</c>, and every published message is queued for
/// each subscriber with a matching prefix. Publishers never wait for one subscriber: each has its own
/// bounded queue, and one that falls too far behind is cut off with a reset and <see cref="CloseReason.SlowSubscriber"/>
/// instead of slowing the others or growing memory: at once past <see cref="BrokerOptions.MaxQueuedBytes"/>, or after
/// <see cref="BrokerOptions.SoftQueuedTime"/> over <see cref="BrokerOptions.SoftQueuedBytes"/> (Redis's
/// <c>client-output-buffer-limit pubsub</c>). All queues together are capped too
/// (<see cref="BrokerOptions.MaxTotalQueuedBytes"/>): past that, the broker stops reading its publishers until
/// half has gone out, and TCP makes them wait.
/// </summary>
public sealed partial class Broker : SelectorServer
{
    // Select wakes at least this often to notice Stop() and to take samples.
    private static readonly TimeSpan s_tick = TimeSpan.FromMilliseconds(50);
    private const int ScratchSize = 64 * 1024;

    private readonly byte[] _receiveBuffer;
    private readonly byte[] _scratch = new byte[ScratchSize];
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    // Open subscribers, in the order they subscribed; the array is what each publish walks.
    private readonly List<BrokerConnection> _subscribers = [];
    private BrokerConnection[] _fanOut = [];
    // Connections whose "anything to send?" answer may have flipped during this wake-up.
    private readonly HashSet<BrokerConnection> _interestChanged = [];
    // Connections with published messages waiting: the ones the slow-subscriber rules look at.
    private readonly HashSet<BrokerConnection> _backlogged = [];
    // Connections that have published (read again when the broker is no longer full).
    private readonly HashSet<BrokerConnection> _publishers = [];
    // Connections with decoded commands not yet handled because the broker was full.
    private readonly HashSet<BrokerConnection> _held = [];
    private readonly QueuePressure _pressure;
    private double _lastSampleMs = double.NegativeInfinity;
    private long _published;
    private long _fannedOut;

    private Broker(string name, Trace trace, BrokerOptions options)
        : base(name, trace, options.Log, options.TimeProvider, maxConnections: options.MaxConnections)
    {
        Options = options;
        _receiveBuffer = new byte[options.ReceiveSize];
        _pressure = new QueuePressure(options.MaxTotalQueuedBytes);
    }

    /// <summary>The settings it runs with.</summary>
    public BrokerOptions Options { get; }

    /// <summary>Messages published so far.</summary>
    public long Published => Interlocked.Read(ref _published);

    /// <summary>Copies put into subscriber queues so far (one publish to 100 matching subscribers counts 100).</summary>
    public long FannedOut => Interlocked.Read(ref _fannedOut);

    /// <summary>Bytes waiting in all outgoing queues now (published messages and replies).</summary>
    public long QueuedBytes => _pressure.Queued;

    /// <summary>The most bytes ever waiting in all outgoing queues together: at most <see cref="BrokerOptions.MaxTotalQueuedBytes"/> plus one message's fan-out.</summary>
    public long PeakQueuedBytes => _pressure.Peak;

    /// <summary>
    /// Whether the broker is full now: its queues passed <see cref="BrokerOptions.MaxTotalQueuedBytes"/> and are not
    /// yet down to half of it, so it does not read its publishers.
    /// </summary>
    public bool IsFull => _pressure.Full;

    /// <summary>How many times the broker was full (<see cref="BrokerOptions.MaxTotalQueuedBytes"/>) and stopped reading its publishers.</summary>
    public long PublisherPauses => _pressure.Pauses;

    /// <summary>Milliseconds on the broker's clock (the clock of <see cref="SubscriberStats"/> and its samples).</summary>
    public double NowMs => _clock.Elapsed.TotalMilliseconds;

    /// <summary>
    /// Starts a broker on a thread of its own and returns once it listens (127.0.0.1 and a free port
    /// unless <see cref="BrokerOptions.EndPoint"/> says otherwise). A server already running under
    /// <paramref name="name"/> is stopped first, so a notebook can re-run the cell.
    /// </summary>
    public static Broker Start(Trace trace, BrokerOptions? options = null, string name = "broker")
    {
        options ??= new BrokerOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(options.ReceiveSize, 1, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxQueuedMessages, 1, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxQueuedBytes, 1, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.SoftQueuedBytes, 1, nameof(options));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.SoftQueuedBytes, options.MaxQueuedBytes, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(options.SoftQueuedTime, TimeSpan.Zero, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxTotalQueuedBytes, 1, nameof(options));
        ArgumentOutOfRangeException.ThrowIfNegative(options.MaxSubscriptions, nameof(options));
        ArgumentOutOfRangeException.ThrowIfNegative(options.MaxClosedRecords, nameof(options));
        var broker = new Broker(name, trace, options);
        broker.Start(options.EndPoint, options.Backlog);
        return broker;
    }

    /// <inheritdoc/>
    protected override TimeSpan? SelectTimeout => s_tick;

    /// <summary>
    /// The tutorial's <c>accept_wrapper</c> (the loop already called <c>accept()</c> and
    /// <c>setblocking(False)</c>): every connection starts out watched for reading only.
    /// </summary>
    protected override void AcceptWrapper(TracedSocket socket)
    {
        if (Options.SendBufferSize is { } size)
        {
            socket.Socket.SendBufferSize = size;
        }
        var connection = new BrokerConnection(socket, Options.Limits, NowMs);
        if (Logging)
        {
            Log($"Accepted connection from {connection.Peer}");
        }
        Selector.Register(socket, SelectorEvents.Read, connection);
    }

    /// <summary>
    /// The tutorial's <c>service_connection</c>: <see cref="Read"/> every command that arrived, then
    /// <see cref="Write"/> what is queued. Broken framing closes only this connection; the loop catches
    /// socket errors and anything a command's handling throws, and closes only this connection too.
    /// </summary>
    protected override int ServiceConnection(SelectorKey key, SelectorEvents mask)
    {
        var connection = (BrokerConnection)key.Data!;
        try
        {
            if ((mask & SelectorEvents.Read) != 0)
            {
                Read(connection);
            }
            if ((mask & SelectorEvents.Write) != 0 && !connection.IsClosed)
            {
                Write(connection);
            }
        }
        catch (ProtocolException e)
        {
            Close(connection, CloseReason.ProtocolError, e.Reason);
        }
        return 1;
    }

    /// <inheritdoc/>
    protected override void AfterWakeUp(int reported, int serviced)
    {
        CutOffSlowSubscribers();
        HandleHeld();
        UpdateInterest();
        Sample();
        WatchAllBeforeStop();
    }

    /// <inheritdoc/>
    protected override void OnClosed(SelectorConnection connection, CloseReason reason, string detail)
    {
        var closed = (BrokerConnection)connection;
        long dropped = closed.Queue.Bytes;
        closed.Closed(detail, NowMs);
        if (closed.IsSubscriber)
        {
            _subscribers.Remove(closed);
            _fanOut = [.. _subscribers];
        }
        _backlogged.Remove(closed);
        _publishers.Remove(closed);
        _held.Remove(closed);
        Dequeued(dropped);
        Remember(closed, reason, detail);
    }

    /// <summary>Each command the broker reads or writes, encoded and decoded once before the first accept.</summary>
    protected override void WarmUp()
    {
        PubSubCommand[] commands =
        [
            PubSubCommand.Subscribe("warm-up"), PubSubCommand.Publish("warm-up", "payload"), new(PubSubVerb.Ping),
            PubSubCommand.Acknowledge(PubSubVerb.Subscribe, "warm-up", 1), PubSubCommand.Delivery("warm-up", "payload"),
            PubSubCommand.Refusal(PubSubVerb.Subscribe, "warm-up"),
        ];
        foreach (var command in commands)
        {
            var decoded = MessageDecoder.DecodeAll(command.ToBytes(), Options.Limits)[0];
            _ = PubSubCommand.TryParse(decoded, out _, out _);
        }
        try
        {
            MessageDecoder.DecodeAll(MessageEncoder.Frame("{"), Options.Limits);
        }
        catch (ProtocolException)
        {
            // Expected: the error path's messages are loaded too.
        }
    }
}
