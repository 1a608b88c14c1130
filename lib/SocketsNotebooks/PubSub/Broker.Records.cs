using SocketsNotebooks.Tracing;

namespace SocketsNotebooks.PubSub;

// What the broker remembers for the stats and charts: every subscriber so far and the newest closures,
// both capped so a broker that runs for days stays the same size.
public sealed partial class Broker
{
    private const int MaxRememberedSubscribers = 10_000;

    private readonly object _gate = new();
    // Every connection that ever subscribed (open or not, up to a cap; when full, the oldest closed one
    // makes room), for the stats and charts.
    private readonly List<BrokerConnection> _subscriberHistory = [];
    // The newest Options.MaxClosedRecords closures; older ones fall off the front.
    private readonly Queue<PubSubConnectionClosed> _closed = new();

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

    /// <summary>Forgets the closed connections and the history of subscribers that are gone (open ones start fresh samples).</summary>
    public void ClearRecords()
    {
        lock (_gate)
        {
            _closed.Clear();
            _subscriberHistory.RemoveAll(c => c.IsClosed);
        }
    }

    private void RememberSubscriber(BrokerConnection connection)
    {
        lock (_gate)
        {
            if (_subscriberHistory.Count < MaxRememberedSubscribers)
            {
                _subscriberHistory.Add(connection);
            }
        }
    }

    private void Remember(BrokerConnection closed, CloseReason reason, string detail)
    {
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
}
