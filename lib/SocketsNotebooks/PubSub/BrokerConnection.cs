using SocketsNotebooks.AppProtocol;
using SocketsNotebooks.Selectors;
using SocketsNotebooks.Tracing;

namespace SocketsNotebooks.PubSub;

/// <summary>
/// The broker's state for one client connection, carried as the selector key's data (the tutorial's
/// per-connection namespace): its decoder, its subscriptions, its bounded outgoing queue and the
/// counters the charts read. Publisher or subscriber is not fixed: a connection becomes a subscriber
/// with its first <c>subscribe</c>.
/// </summary>
internal sealed class BrokerConnection(TracedSocket socket, MessageLimits limits, double openedMs) : SelectorConnection(socket)
{
    private readonly object _samplesGate = new();
    private readonly List<DeliverySample> _samples = [];
    private readonly PrefixSet _subscriptions = new();
    private long _delivered;
    private int _queued;
    private long _queuedBytes;

    public string Peer { get; } = socket.RemoteEndPoint?.ToString() ?? "?";

    public MessageDecoder Decoder { get; } = new(limits);

    public OutgoingQueue Queue { get; } = new();

    public double OpenedMs { get; } = openedMs;

    /// <summary>
    /// The events the selector watches now: Read unless the broker holds off reading it, Write only while
    /// bytes are queued; <see cref="SelectorEvents.None"/> while it is unregistered (a paused publisher with nothing to send).
    /// </summary>
    public SelectorEvents Interest { get; set; } = SelectorEvents.Read;

    public bool IsSubscriber { get; private set; }

    /// <summary>It has sent a <c>publish</c>: while the broker is full, it is not read.</summary>
    public bool IsPublisher { get; set; }

    /// <summary>
    /// When its published messages waiting went over <see cref="BrokerOptions.SoftQueuedBytes"/> while the
    /// broker was reading its publishers (a timestamp of the broker's clock); null while under the soft limit
    /// or while the publishers are paused.
    /// </summary>
    public long? OverSoftSince { get; set; }

    /// <summary>When its socket last took bytes, or when published messages began to wait for it (a timestamp of the broker's clock).</summary>
    public long LastTaken { get; set; }

    public string CloseDetail { get; private set; } = "";

    public double? ClosedMs { get; private set; }

    public int PeakQueued { get; private set; }

    public long Delivered => Interlocked.Read(ref _delivered);

    /// <summary>The peer sent its FIN: it gets what is already queued for it, then the connection closes.</summary>
    public bool PeerFinished { get; set; }

    // The loop changes the set; another thread (a notebook cell) may read a copy of it.
    public string[] Prefixes
    {
        get
        {
            lock (_subscriptions)
            {
                return _subscriptions.ToArray();
            }
        }
    }

    public int SubscriptionCount => _subscriptions.Count;

    public bool Matches(string topic) => _subscriptions.Matches(topic);

    public bool IsSubscribedTo(string prefix) => _subscriptions.Contains(prefix);

    public int Subscribe(string prefix)
    {
        IsSubscriber = true;
        lock (_subscriptions)
        {
            _subscriptions.Add(prefix);
            return _subscriptions.Count;
        }
    }

    public int Unsubscribe(string prefix)
    {
        lock (_subscriptions)
        {
            _subscriptions.Remove(prefix);
            return _subscriptions.Count;
        }
    }

    public void Enqueue(byte[] bytes, bool isDelivery, long now)
    {
        if (isDelivery && Queue.Deliveries == 0)
        {
            LastTaken = now;
        }
        Queue.Enqueue(bytes, isDelivery);
        PublishCounts();
        PeakQueued = Math.Max(PeakQueued, Queue.Count);
    }

    public void Sent(int bytes, long now)
    {
        if (bytes > 0)
        {
            LastTaken = now;
        }
        int finished = Queue.Consume(bytes);
        if (finished > 0)
        {
            Interlocked.Add(ref _delivered, finished);
        }
        PublishCounts();
    }

    /// <summary>
    /// The broker closed it (<see cref="SelectorConnection.CloseReason"/> is set): keep why, when, and a last
    /// sample, and let go of what was waiting. The counts a snapshot shows stay what was waiting at the close:
    /// the history of subscribers keeps closed connections, and their queues must not keep the messages alive.
    /// </summary>
    public void Closed(string detail, double nowMs)
    {
        CloseDetail = detail;
        ClosedMs = nowMs;
        Sample(nowMs, due: true, maxSamples: int.MaxValue, force: true);
        Queue.Clear();
    }

    /// <summary>
    /// Adds a sample when one is <paramref name="due"/> and something changed, and always when the
    /// queue just became empty or non-empty: a queue that fills and drains between two due samples
    /// would otherwise look permanently full (or permanently empty) in the chart.
    /// </summary>
    public void Sample(double nowMs, bool due, int maxSamples, bool force = false)
    {
        lock (_samplesGate)
        {
            long delivered = Delivered;
            int queued = Volatile.Read(ref _queued);
            if (_samples.Count > 0 && !force)
            {
                var last = _samples[^1];
                bool changed = last.Delivered != delivered || last.Queued != queued;
                bool crossedEmpty = (last.Queued == 0) != (queued == 0);
                if (!(due && changed) && !crossedEmpty)
                {
                    return;
                }
            }
            if (_samples.Count < maxSamples)
            {
                _samples.Add(new DeliverySample(Math.Round(nowMs, 3), delivered, queued));
            }
        }
    }

    public SubscriberStats Snapshot()
    {
        DeliverySample[] samples;
        lock (_samplesGate)
        {
            samples = [.. _samples];
        }
        return new SubscriberStats(Socket.Conn, Peer, Prefixes, Delivered, Volatile.Read(ref _queued), Interlocked.Read(ref _queuedBytes),
            PeakQueued, CloseReason, CloseDetail, OpenedMs, ClosedMs, samples);
    }

    // The loop owns the queue; these copies are what another thread (a notebook cell) may read.
    private void PublishCounts()
    {
        Volatile.Write(ref _queued, Queue.Count);
        Interlocked.Exchange(ref _queuedBytes, Queue.Bytes);
    }
}
