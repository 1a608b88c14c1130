using SocketsNotebooks.Tracing;

namespace SocketsNotebooks.MultiConn;

/// <summary>
/// What one connection of an event loop did: bytes and calls each way, when it opened and
/// closed, and why it closed. A list of these shows as a table in a notebook.
/// </summary>
/// <param name="Conn">The trace's connection id (both ends share it).</param>
/// <param name="Peer">The other end's address and port.</param>
/// <param name="BytesIn">Bytes received.</param>
/// <param name="BytesOut">Bytes sent.</param>
/// <param name="Recvs">How many <c>recv()</c> calls returned data.</param>
/// <param name="Sends">How many <c>send()</c> calls were made.</param>
/// <param name="OpenedMs">When it was accepted or connected, in ms on the loop's clock.</param>
/// <param name="ClosedMs">When it was closed, or null while open.</param>
/// <param name="CloseReason">Why it closed (<see cref="Tracing.CloseReason.Open"/> while open).</param>
public sealed record ConnectionStats(
    int Conn,
    string Peer,
    long BytesIn,
    long BytesOut,
    int Recvs,
    int Sends,
    double OpenedMs,
    double? ClosedMs,
    CloseReason CloseReason);
