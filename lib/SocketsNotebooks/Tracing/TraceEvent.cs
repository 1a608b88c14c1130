namespace SocketsNotebooks.Tracing;

/// <summary>
/// One socket call as it happened. A list of these shows as a table in a notebook, one row per
/// call and one column per property, which is why the properties are few and short.
/// </summary>
/// <remarks>
/// A class rather than a record on purpose: the kernel's formatter shows any type that overrides
/// <c>ToString</c> (as every record does) as one line of text, and a list of them as a column of
/// such lines instead of a table.
/// </remarks>
public sealed class TraceEvent
{
    /// <summary>Creates an event; <see cref="Trace.Record(int, Side, TraceKind, int, int, string, string)"/> is the usual way.</summary>
    public TraceEvent(int seq, double timeMs, int conn, Side side, TraceKind kind, int asked, int moved, string preview, string note)
    {
        Seq = seq;
        TimeMs = timeMs;
        Conn = conn;
        Side = side;
        Kind = kind;
        Asked = asked;
        Moved = moved;
        Preview = preview;
        Note = note;
    }

    /// <summary>Order of the event in its trace, from 1.</summary>
    public int Seq { get; }

    /// <summary>Milliseconds since the trace started.</summary>
    public double TimeMs { get; }

    /// <summary>Connection id; both ends of one TCP connection share it. 0 = a listening socket.</summary>
    public int Conn { get; }

    /// <summary>Server, client or relay.</summary>
    public Side Side { get; }

    /// <summary>Which call.</summary>
    public TraceKind Kind { get; }

    /// <summary>Bytes asked for: the buffer size of a recv, the length given to a send.</summary>
    public int Asked { get; }

    /// <summary>Bytes the call really moved.</summary>
    public int Moved { get; }

    /// <summary>The first bytes moved, written the way Python prints bytes.</summary>
    public string Preview { get; }

    /// <summary>Why: an error name, a close reason, an endpoint.</summary>
    public string Note { get; }
}
