using System.Diagnostics;

namespace SocketsNotebooks.Tracing;

/// <summary>
/// Collects every socket call the library's sockets make, from any thread, in the order they
/// happened. Servers, clients and the relay of one notebook share one trace, so a chart can show
/// both ends of a connection side by side.
/// </summary>
public sealed partial class Trace
{
    private readonly object _gate = new();
    // A queue, so a trace with a Capacity drops its oldest event in O(1).
    private readonly Queue<TraceEvent> _events = new();
    private readonly List<(Func<TraceEvent, bool> Match, TaskCompletionSource<TraceEvent> Done)> _waiters = [];
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly int? _capacity;
    private int _lastSeq;
    // _waiters.Count, written under _gate and read without it: Record's fast path must not take the lock.
    private volatile int _waiterCount;

    /// <summary>
    /// What <see cref="Record(int, Side, TraceKind, int, int, string, string)"/> returns when nothing
    /// will read the event: the trace keeps nothing (<see cref="Capacity"/> 0), no <see cref="Recorded"/>
    /// handler and no <see cref="WaitForAsync"/> waiter. One shared placeholder with
    /// <see cref="TraceEvent.Seq"/> 0, so such a call builds nothing; it still counts for the next event's Seq.
    /// </summary>
    public static TraceEvent NotKept { get; } =
        new(0, 0, 0, Side.Server, TraceKind.Error, 0, 0, "", "not kept: Capacity 0 and nobody listening");

    /// <summary>
    /// Raised after each event is recorded, on the thread that made the call. The CLI prints from
    /// here; handlers must be quick and must not throw.
    /// </summary>
    public event Action<TraceEvent>? Recorded;

    /// <summary>How many bytes of each call's data the <see cref="TraceEvent.Preview"/> shows.</summary>
    public int PreviewBytes { get; init; } = 24;

    /// <summary>
    /// Keep at most this many events: the oldest go first (<see cref="TraceEvent.Seq"/> keeps counting).
    /// Null, the default, keeps everything, which is what a notebook wants for its charts. 0 keeps
    /// nothing, yet <see cref="Recorded"/> is still raised and <see cref="WaitForAsync"/> still sees
    /// events recorded after it was called: that is what a long-running CLI command wants, printing
    /// from <see cref="Recorded"/> and never reading the history. With neither a handler nor a waiter
    /// either, a call only counts itself (see <see cref="NotKept"/>), so a server measured for speed
    /// pays almost nothing for its trace.
    /// </summary>
    public int? Capacity
    {
        get => _capacity;
        init
        {
            if (value is < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(value), value, "Capacity must be null (unbounded) or at least 0.");
            }
            _capacity = value;
        }
    }

    /// <summary>Every event so far (the last <see cref="Capacity"/> of them, if set), oldest first (a snapshot).</summary>
    public IReadOnlyList<TraceEvent> Events
    {
        get
        {
            lock (_gate)
            {
                return _events.ToArray();
            }
        }
    }

    /// <summary>The <c>recv()</c> calls, optionally of one side or one connection.</summary>
    public IReadOnlyList<TraceEvent> Recvs(Side? side = null, int? conn = null) => Of(TraceKind.Recv, side, conn);

    /// <summary>The <c>send()</c> calls, optionally of one side or one connection.</summary>
    public IReadOnlyList<TraceEvent> Sends(Side? side = null, int? conn = null) => Of(TraceKind.Send, side, conn);

    /// <summary>The events as rows; a notebook shows the result as a table.</summary>
    public IReadOnlyList<TraceEvent> Table(Side? side = null, int? conn = null) =>
        Events.Where(e => (side is null || e.Side == side) && (conn is null || e.Conn == conn)).ToArray();

    /// <summary>
    /// Forgets every event, so the next chart starts from a clean slate. Connection ids and
    /// <see cref="TraceEvent.Seq"/> keep counting, so "later than event N" still means later.
    /// </summary>
    public void Clear()
    {
        lock (_gate)
        {
            _events.Clear();
        }
    }

    /// <summary>
    /// Records one call. The wrappers call this; notebooks rarely need to. Returns the event, or
    /// <see cref="NotKept"/> from a trace that keeps nothing and that nobody listens to.
    /// </summary>
    public TraceEvent Record(int conn, Side side, TraceKind kind, int asked, ReadOnlySpan<byte> moved, string note = "")
    {
        if (NobodyReads)
        {
            return CountOnly();
        }
        // The preview is the costly part of an event: made only when someone will see it.
        string preview = moved.IsEmpty ? "" : PythonBytes.Repr(moved, PreviewBytes);
        return Record(conn, side, kind, asked, moved.Length, preview, note);
    }

    /// <summary>
    /// Records one call whose data is not at hand (only its size). Returns the event, or
    /// <see cref="NotKept"/> from a trace that keeps nothing and that nobody listens to.
    /// </summary>
    public TraceEvent Record(int conn, Side side, TraceKind kind, int asked, int moved, string preview = "", string note = "")
    {
        if (NobodyReads)
        {
            return CountOnly();
        }
        List<TaskCompletionSource<TraceEvent>>? woken = null;
        TraceEvent recorded;
        lock (_gate)
        {
            double ms = Math.Round(_clock.Elapsed.TotalMilliseconds, 3);
            // A counter of its own, not the list's length: after Clear() or a drop at Capacity the
            // numbers must not repeat (EchoClient.WaitForOtherEndToClose waits for "Seq > seen").
            // Interlocked, because CountOnly moves it without the lock.
            recorded = new TraceEvent(Interlocked.Increment(ref _lastSeq), ms, conn, side, kind, asked, moved, preview, note);
            if (_capacity != 0)
            {
                if (_events.Count == _capacity)
                {
                    _events.Dequeue();
                }
                _events.Enqueue(recorded);
            }
            for (int i = _waiters.Count - 1; i >= 0; i--)
            {
                if (_waiters[i].Match(recorded))
                {
                    (woken ??= []).Add(_waiters[i].Done);
                    _waiters.RemoveAt(i);
                }
            }
            _waiterCount = _waiters.Count;
        }
        // Completed outside the lock: a waiter's continuation must not run while we hold it.
        if (woken is not null)
        {
            foreach (var done in woken)
            {
                done.TrySetResult(recorded);
            }
        }
        Recorded?.Invoke(recorded);
        return recorded;
    }

    // Nothing keeps the event and nobody is handed it, so it need not exist. A handler or waiter that
    // arrives during this call sees the next event, as if it had arrived just after this one.
    private bool NobodyReads => _capacity == 0 && _waiterCount == 0 && Volatile.Read(ref Recorded) is null;

    // The event is not built, but it happened: later events' Seq still count it, as they would have.
    private TraceEvent CountOnly()
    {
        Interlocked.Increment(ref _lastSeq);
        return NotKept;
    }

    /// <summary>
    /// Waits until an event matching <paramref name="match"/> is recorded (or already was).
    /// Tests and notebooks use this instead of sleeping; it throws <see cref="TimeoutException"/> after <paramref name="timeout"/>.
    /// </summary>
    public async Task<TraceEvent> WaitForAsync(Func<TraceEvent, bool> match, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(match);
        var done = new TaskCompletionSource<TraceEvent>(TaskCreationOptions.RunContinuationsAsynchronously);
        var waiter = (match, done);
        lock (_gate)
        {
            var seen = _events.FirstOrDefault(match);
            if (seen is not null)
            {
                return seen;
            }
            _waiters.Add(waiter);
            _waiterCount = _waiters.Count;
        }
        try
        {
            return await done.Task.WaitAsync(timeout).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // A waiter that gave up must not stay behind and be asked about every later event.
            int count;
            lock (_gate)
            {
                _waiters.Remove(waiter);
                _waiterCount = _waiters.Count;
                count = Volatile.Read(ref _lastSeq);
            }
            throw new TimeoutException($"No matching trace event within {timeout.TotalMilliseconds:0} ms ({count} events recorded).");
        }
    }

    private TraceEvent[] Of(TraceKind kind, Side? side, int? conn) =>
        Events.Where(e => e.Kind == kind && (side is null || e.Side == side) && (conn is null || e.Conn == conn)).ToArray();
}
