namespace SocketsNotebooks.Tracing;

/// <summary>Which end of a connection made a socket call.</summary>
public enum Side
{
    /// <summary>The server: the listening socket and the sockets it accepted.</summary>
    Server,
    /// <summary>The client: the socket that called <c>Connect</c>.</summary>
    Client,
    /// <summary>The network in a box between them (see <c>Relay</c>).</summary>
    Relay,
}
