using System.Diagnostics;
using SocketsNotebooks.Tracing;

namespace SocketsNotebooks.MultiConn;

/// <summary>
/// Counts what an event loop did with each wake-up: how often <c>Select</c> returned, how often it
/// returned with nothing to do, and what every connection moved. The loop's thread writes; any
/// thread (a notebook cell) may read. This is how the notebook makes a busy loop visible: a loop
/// that asks for write-readiness it does not need wakes up over and over with nothing to send.
/// </summary>
public sealed class LoopStats
{
    /// <summary>How many closed connections <see cref="Connections"/> keeps (the newest); <see cref="ConnectionsSeen"/> counts them all.</summary>
    public const int MaxClosedKept = 10_000;

    /// <summary>How long <see cref="WakeUpsPerSecond"/>'s timeline runs: an hour of buckets, then it stops growing.</summary>
    public static readonly TimeSpan TimelineLength = TimeSpan.FromHours(1);

    /// <summary>Width of one bucket of <see cref="WakeUpsPerSecond"/>'s timeline.</summary>
    public static readonly TimeSpan BucketWidth = TimeSpan.FromMilliseconds(100);

    private readonly object _gate = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly List<(int WakeUps, int Idle)> _buckets = [];
    // Open connections as mutable counters (a recv or send adds to them without allocating); closed
    // ones as snapshots, the newest MaxClosedKept of them, so a loop left running for days stays bounded.
    private readonly Dictionary<int, Counters> _open = [];
    private readonly Queue<ConnectionStats> _closed = new();
    private long _connectionsSeen;
    private long _wakeUps;
    private long _idleWakeUps;
    private long _timeouts;
    private long _eventsReported;
    private long _eventsServiced;

    /// <summary>How many times <c>Select</c> returned.</summary>
    public long WakeUps => Interlocked.Read(ref _wakeUps);

    /// <summary>Wake-ups after which the loop read, wrote and accepted nothing: pure overhead.</summary>
    public long IdleWakeUps => Interlocked.Read(ref _idleWakeUps);

    /// <summary>Wake-ups where <c>Select</c> reported no socket at all (its timeout passed).</summary>
    public long Timeouts => Interlocked.Read(ref _timeouts);

    /// <summary>(socket, mask) pairs <c>Select</c> reported, summed over all wake-ups.</summary>
    public long EventsReported => Interlocked.Read(ref _eventsReported);

    /// <summary>Reported pairs that led to a real <c>recv</c>, <c>send</c> or <c>accept</c>.</summary>
    public long EventsServiced => Interlocked.Read(ref _eventsServiced);

    /// <summary>Managed thread id of the loop (one thread serves every connection).</summary>
    public int LoopThreadId { get; internal set; }

    /// <summary>Milliseconds since these stats started (the clock of <see cref="ConnectionStats.OpenedMs"/>).</summary>
    public double NowMs => _clock.Elapsed.TotalMilliseconds;

    /// <summary>
    /// The connections the loop has seen, by connection id (a snapshot): every open one, and the newest
    /// <see cref="MaxClosedKept"/> closed ones.
    /// </summary>
    public IReadOnlyList<ConnectionStats> Connections
    {
        get
        {
            lock (_gate)
            {
                return _open.Select(o => o.Value.Snapshot(o.Key)).Concat(_closed).OrderBy(c => c.Conn).ToArray();
            }
        }
    }

    /// <summary>Every connection the loop has accepted or connected, including those <see cref="Connections"/> no longer keeps.</summary>
    public long ConnectionsSeen => Interlocked.Read(ref _connectionsSeen);

    /// <summary>
    /// Wake-ups per second over time, in <see cref="BucketWidth"/> steps: (seconds since start, all
    /// wake-ups per second, idle wake-ups per second). What the naive-vs-fixed chart plots.
    /// </summary>
    public IReadOnlyList<(double Seconds, double WakeUps, double Idle)> WakeUpsPerSecond()
    {
        double scale = 1 / BucketWidth.TotalSeconds;
        lock (_gate)
        {
            return _buckets.Select((b, i) => (Math.Round(i * BucketWidth.TotalSeconds, 3), b.WakeUps * scale, b.Idle * scale)).ToArray();
        }
    }

    /// <summary>A one-line summary for a notebook or the CLI.</summary>
    public override string ToString() =>
        $"{WakeUps} wake-ups ({IdleWakeUps} with nothing to do, {Timeouts} timeouts), {EventsServiced}/{EventsReported} events serviced, {ConnectionsSeen} connections";

    /// <summary>Records one return from <c>Select</c>: how many pairs it reported and how many were serviced.</summary>
    internal void WakeUp(int reported, int serviced)
    {
        Interlocked.Increment(ref _wakeUps);
        Interlocked.Add(ref _eventsReported, reported);
        Interlocked.Add(ref _eventsServiced, serviced);
        if (reported == 0)
        {
            Interlocked.Increment(ref _timeouts);
        }
        bool idle = serviced == 0;
        if (idle)
        {
            Interlocked.Increment(ref _idleWakeUps);
        }
        int bucket = (int)(_clock.Elapsed.Ticks / BucketWidth.Ticks);
        if (bucket >= TimelineLength.Ticks / BucketWidth.Ticks)
        {
            return;
        }
        lock (_gate)
        {
            while (_buckets.Count <= bucket)
            {
                _buckets.Add((0, 0));
            }
            var (wakeUps, idleCount) = _buckets[bucket];
            _buckets[bucket] = (wakeUps + 1, idleCount + (idle ? 1 : 0));
        }
    }

    internal void Opened(int conn, string peer)
    {
        Interlocked.Increment(ref _connectionsSeen);
        lock (_gate)
        {
            _open[conn] = new Counters(peer, Math.Round(NowMs, 3));
        }
    }

    internal void Received(int conn, int bytes)
    {
        lock (_gate)
        {
            if (_open.TryGetValue(conn, out var c))
            {
                c.BytesIn += bytes;
                c.Recvs++;
            }
        }
    }

    internal void Sent(int conn, int bytes)
    {
        lock (_gate)
        {
            if (_open.TryGetValue(conn, out var c))
            {
                c.BytesOut += bytes;
                c.Sends++;
            }
        }
    }

    internal void Closed(int conn, CloseReason reason)
    {
        lock (_gate)
        {
            if (_open.Remove(conn, out var c))
            {
                _closed.Enqueue(c.Snapshot(conn) with { ClosedMs = Math.Round(NowMs, 3), CloseReason = reason });
                if (_closed.Count > MaxClosedKept)
                {
                    _closed.Dequeue();
                }
            }
        }
    }

    private sealed class Counters(string peer, double openedMs)
    {
        public long BytesIn;
        public long BytesOut;
        public int Recvs;
        public int Sends;

        public ConnectionStats Snapshot(int conn) =>
            new(conn, peer, BytesIn, BytesOut, Recvs, Sends, openedMs, null, CloseReason.Open);
    }
}
