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
/// each subscriber with a matching prefix. Publishers never wait for subscribers: each subscriber has
/// its own bounded queue, and one that falls too far behind (<see cref="BrokerOptions.MaxQueuedBytes"/>,
/// <see cref="BrokerOptions.MaxLag"/>) is cut off at once with a reset and <see cref="CloseReason.SlowSubscriber"/>
/// instead of slowing the others or growing memory.
/// </summary>
public sealed partial class Broker : SelectorServer
{
    // Select wakes at least this often to notice Stop() and to take samples.
    private static readonly TimeSpan s_tick = TimeSpan.FromMilliseconds(50);
    private const int MaxRememberedSubscribers = 10_000;
    private const int ScratchSize = 64 * 1024;

    private readonly byte[] _receiveBuffer;
    private readonly byte[] _scratch = new byte[ScratchSize];
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly object _gate = new();
    // Every connection that ever subscribed (open or not, up to a cap; when full, the oldest closed one
    // makes room), for the stats and charts.
    private readonly List<BrokerConnection> _subscriberHistory = [];
    // The newest Options.MaxClosedRecords closures; older ones fall off the front.
    private readonly Queue<PubSubConnectionClosed> _closed = new();
    // Open subscribers, in the order they subscribed; the array is what each publish walks.
    private readonly List<BrokerConnection> _subscribers = [];
    private BrokerConnection[] _fanOut = [];
    // Connections whose "anything to send?" answer may have flipped during this wake-up.
    private readonly HashSet<BrokerConnection> _interestChanged = [];
    private double _lastSampleMs = double.NegativeInfinity;
    private long _published;
    private long _fannedOut;

    private Broker(string name, Trace trace, BrokerOptions options)
        : base(name, trace, options.Log, options.TimeProvider)
    {
        Options = options;
        _receiveBuffer = new byte[options.ReceiveSize];
    }

    /// <summary>The settings it runs with.</summary>
    public BrokerOptions Options { get; }

    /// <summary>Messages published so far.</summary>
    public long Published => Interlocked.Read(ref _published);

    /// <summary>Copies put into subscriber queues so far (one publish to 100 matching subscribers counts 100).</summary>
    public long FannedOut => Interlocked.Read(ref _fannedOut);

    /// <summary>Milliseconds on the broker's clock (the clock of <see cref="SubscriberStats"/> and its samples).</summary>
    public double NowMs => _clock.Elapsed.TotalMilliseconds;

    /// <summary>Every subscriber so far, open or closed, in the order they first subscribed (a snapshot).</summary>
    public IReadOnlyList<SubscriberStats> Subscribers
    {
        get
        {
            BrokerConnection[] all;
            lock (_gate)
            {
                all = [.. _subscriberHistory];
            }
            return all.Select(c => c.Snapshot()).ToArray();
        }
    }

    /// <summary>
    /// The connections closed most recently and why, oldest first: at most
    /// <see cref="BrokerOptions.MaxClosedRecords"/> of them, so a broker left running does not grow.
    /// </summary>
    public IReadOnlyList<PubSubConnectionClosed> Closed
    {
        get
        {
            lock (_gate)
            {
                return _closed.ToArray();
            }
        }
    }

    /// <summary>The stats of the subscriber on connection <paramref name="conn"/>, or null.</summary>
    public SubscriberStats? Subscriber(int conn) => Subscribers.FirstOrDefault(s => s.Conn == conn);

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
        ArgumentOutOfRangeException.ThrowIfNegative(options.MaxClosedRecords, nameof(options));
        var broker = new Broker(name, trace, options);
        broker.Start(options.EndPoint, options.Backlog);
        return broker;
    }

    /// <summary>Forgets the closed connections and the history of subscribers that are gone (open ones start fresh samples).</summary>
    public void ClearRecords()
    {
        lock (_gate)
        {
            _closed.Clear();
            _subscriberHistory.RemoveAll(c => c.IsClosed);
        }
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
        Log($"Accepted connection from {connection.Peer}");
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
        CutOffLagging();
        UpdateInterest();
        Sample();
    }

    /// <inheritdoc/>
    protected override void OnClosed(SelectorConnection connection, CloseReason reason, string detail)
    {
        var closed = (BrokerConnection)connection;
        closed.Closed(detail, NowMs);
        if (closed.IsSubscriber)
        {
            _subscribers.Remove(closed);
            _fanOut = [.. _subscribers];
        }
        lock (_gate)
        {
            // Keep the newest: the subscriber that was just cut off is the one a learner looks for.
            _closed.Enqueue(new PubSubConnectionClosed(closed.Socket.Conn, closed.Peer, reason, detail, closed.ClosedMs ?? NowMs));
            if (_closed.Count > Options.MaxClosedRecords)
            {
                _closed.Dequeue();
            }
            // The subscriber history is full (a broker running for days): forget the oldest subscriber
            // that is gone, so the next one to subscribe is remembered instead of ignored.
            if (_subscriberHistory.Count >= MaxRememberedSubscribers)
            {
                int gone = _subscriberHistory.FindIndex(c => c.IsClosed);
                if (gone >= 0)
                {
                    _subscriberHistory.RemoveAt(gone);
                }
            }
        }
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

    private void Read(BrokerConnection connection)
    {
        int received = connection.Socket.Receive(_receiveBuffer);
        if (received == 0)
        {
            // FIN. Mid-message this is a truncated message (Complete throws); between messages a goodbye,
            // but a half-close only says "I will send no more": replies already due still go out, then
            // the broker closes. No new deliveries are queued for it meanwhile.
            connection.Decoder.Complete();
            connection.PeerFinished = true;
            if (connection.IsSubscriber)
            {
                _subscribers.Remove(connection);
                _fanOut = [.. _subscribers];
            }
            if (connection.Queue.Count == 0)
            {
                Close(connection, CloseReason.PeerClosed, "");
            }
            else
            {
                _interestChanged.Add(connection);
            }
            return;
        }
        connection.Decoder.Feed(_receiveBuffer.AsSpan(0, received));
        // Many messages per connection: handle every one this recv() completed, in order.
        while (!connection.IsClosed && connection.Decoder.TryReadMessage(out var message))
        {
            Handle(connection, message);
        }
        _interestChanged.Add(connection);
    }

    // The kernel takes what fits in its send buffer; the rest stays queued for the next writable wake-up.
    private void Write(BrokerConnection connection)
    {
        int gathered = connection.Queue.Gather(_scratch);
        if (gathered == 0)
        {
            return;
        }
        int sent;
        try
        {
            sent = connection.Socket.Send(_scratch.AsSpan(0, gathered));
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.WouldBlock)
        {
            return;
        }
        connection.Sent(sent);
        if (connection.Queue.Count == 0 && connection.PeerFinished)
        {
            Close(connection, CloseReason.PeerClosed, "");
            return;
        }
        _interestChanged.Add(connection);
    }

    // Write interest only while bytes are queued: a connected socket is nearly always writable, so
    // watching it for Write with nothing to send would make Select return at once, over and over.
    private void UpdateInterest()
    {
        foreach (var connection in _interestChanged)
        {
            if (connection.IsClosed)
            {
                continue;
            }
            // Stop reading from a peer that has finished, or that asks faster than it reads its replies
            // (their bytes are not held to the delivery limits, so this is what bounds them).
            bool read = !connection.PeerFinished && connection.Queue.Bytes - connection.Queue.DeliveryBytes < Options.MaxQueuedBytes;
            var wanted = (read ? SelectorEvents.Read : SelectorEvents.None) | (connection.Queue.Count > 0 ? SelectorEvents.Write : SelectorEvents.None);
            if (wanted == SelectorEvents.None)
            {
                continue;
            }
            if (wanted != connection.Interest)
            {
                Selector.Modify(connection.Socket, wanted, connection);
                connection.Interest = wanted;
            }
        }
        _interestChanged.Clear();
    }

    private void Sample()
    {
        if (Options.SampleInterval is not { } interval)
        {
            return;
        }
        double now = NowMs;
        bool due = now - _lastSampleMs >= interval.TotalMilliseconds;
        if (due)
        {
            _lastSampleMs = now;
        }
        foreach (var subscriber in _fanOut)
        {
            subscriber.Sample(now, due, Options.MaxSamplesPerSubscriber);
        }
    }
}
