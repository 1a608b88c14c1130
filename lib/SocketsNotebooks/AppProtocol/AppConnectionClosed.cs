using SocketsNotebooks.Tracing;

namespace SocketsNotebooks.AppProtocol;

/// <summary>How one connection of the application server ended (a list of these shows as a table).</summary>
/// <param name="Conn">Connection id, as in the trace.</param>
/// <param name="Peer">The client's address.</param>
/// <param name="Reason">Why it closed.</param>
/// <param name="Error">For <see cref="CloseReason.ProtocolError"/>: which rule or limit was broken.</param>
/// <param name="Detail">The clear message (names the limit, the missing key, ...).</param>
public sealed record AppConnectionClosed(int Conn, string Peer, CloseReason Reason, ProtocolError? Error, string Detail)
{
    /// <summary>One line, e.g. <c>conn 7: ProtocolError ContentTooLong: content-length ... exceeds the limit ...</c>.</summary>
    public override string ToString() =>
        $"conn {Conn}: {Reason}{(Error is null ? "" : $" {Error}")}{(Detail.Length > 0 ? ": " + Detail : "")}";
}
