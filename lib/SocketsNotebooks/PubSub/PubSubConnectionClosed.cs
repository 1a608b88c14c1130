using SocketsNotebooks.Tracing;

namespace SocketsNotebooks.PubSub;

/// <summary>One connection the <see cref="Broker"/> closed, and why; a list of these shows as a table.</summary>
/// <param name="Conn">The trace's connection id (the client's socket has the same one when they share a trace).</param>
/// <param name="Peer">The client's address and port.</param>
/// <param name="Reason">Why it was closed.</param>
/// <param name="Detail">The reason in words, e.g. which limit was reached; empty for an ordinary goodbye.</param>
/// <param name="ClosedMs">When, in ms on the broker's clock.</param>
public sealed record PubSubConnectionClosed(int Conn, string Peer, CloseReason Reason, string Detail, double ClosedMs);
