namespace SocketsNotebooks.MultiConn;

/// <summary>
/// Why the multi-connection server or client closed one connection. It is written into the trace
/// (the <c>Close</c> event's note) and kept in <see cref="ConnectionStats.CloseReason"/>, so a
/// notebook can tell a normal goodbye from a reset or a timeout.
/// </summary>
public enum CloseReason
{
    /// <summary>Still open.</summary>
    Open,
    /// <summary>The peer sent its FIN (<c>recv()</c> returned 0 bytes) and everything owed to it was sent.</summary>
    PeerClosed,
    /// <summary>Client: every byte it sent came back, so it said goodbye (the tutorial's <c>recv_total == msg_total</c>).</summary>
    Done,
    /// <summary>The peer reset the connection (RST, e.g. it closed with linger 0 or crashed).</summary>
    PeerReset,
    /// <summary>Client: the server closed before all the bytes came back.</summary>
    PeerClosedEarly,
    /// <summary>Nothing arrived for longer than the idle timeout.</summary>
    IdleTimeout,
    /// <summary>Client: the non-blocking connect failed (SO_ERROR was set when it became writable).</summary>
    ConnectFailed,
    /// <summary>Client: the run's time limit passed before this connection finished.</summary>
    TimedOut,
    /// <summary>Any other socket error; the trace's <c>Error</c> event names it.</summary>
    SocketError,
    /// <summary>The server was stopped with the connection still open.</summary>
    Stopped,
}
