namespace SocketsNotebooks.Tracing;

/// <summary>Which end of a connection made a socket call.</summary>
public enum Side
{
    /// <summary>The server: the listening socket and the sockets it accepted.</summary>
    Server,
    /// <summary>The client: the socket that called <c>Connect</c>.</summary>
    Client,
    /// <summary>
    /// The network in a box between them (see <c>Relay</c>): its listening socket and the socket that
    /// faces the client (the relay accepted it, so it is the server end of the client's connection).
    /// </summary>
    Relay,
    /// <summary>
    /// The relay's other leg: the socket that faces the server (the relay connected it on the client's
    /// behalf, so it is the client end of the server's connection). It carries the same connection id
    /// as the leg facing the client: one conversation, one id.
    /// </summary>
    RelayToServer,
}
