namespace SocketsNotebooks.Tracing;

/// <summary>
/// One socket call as it happened. A list of these shows as a table in a notebook,
/// one row per call, which is why the properties are few and short.
/// </summary>
/// <param name="Seq">Order of the event in its trace, from 1.</param>
/// <param name="TimeMs">Milliseconds since the trace started.</param>
/// <param name="Conn">Connection id; both ends of one TCP connection share it. 0 = a listening socket.</param>
/// <param name="Side">Server, client or relay.</param>
/// <param name="Kind">Which call.</param>
/// <param name="Asked">Bytes asked for: the buffer size of a recv, the length given to a send.</param>
/// <param name="Moved">Bytes the call really moved.</param>
/// <param name="Preview">The first bytes moved, written the way Python prints bytes.</param>
/// <param name="Note">Why: an error name, a close reason, an endpoint.</param>
public sealed record TraceEvent(
    int Seq,
    double TimeMs,
    int Conn,
    Side Side,
    TraceKind Kind,
    int Asked,
    int Moved,
    string Preview,
    string Note);
