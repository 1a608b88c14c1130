using SocketsNotebooks.Tracing;

namespace SocketsNotebooks.MultiConn;

/// <summary>How one of the client's connections went. A list of these shows as a table in a notebook.</summary>
/// <param name="ConnId">The tutorial's <c>connid</c>: 1 for the first connection the client started, 2 for the next...</param>
/// <param name="Conn">The trace's connection id (0 if the connect failed).</param>
/// <param name="BytesSent">Bytes it sent.</param>
/// <param name="BytesReceived">Bytes that came back.</param>
/// <param name="Recvs">How many <c>recv()</c> calls returned data.</param>
/// <param name="Echoed">Whether exactly the bytes it sent came back, in order.</param>
/// <param name="CloseReason">Why it closed: <see cref="Tracing.CloseReason.Done"/> when all went well.</param>
/// <param name="ElapsedMs">From starting the connect to closing.</param>
public sealed record ClientConnectionResult(
    int ConnId,
    int Conn,
    int BytesSent,
    int BytesReceived,
    int Recvs,
    bool Echoed,
    CloseReason CloseReason,
    double ElapsedMs);
