namespace SocketsNotebooks.AppProtocol;

/// <summary>Why the application server or client closed one connection (written into the trace's <c>Close</c> note).</summary>
public enum AppCloseReason
{
    /// <summary>The exchange finished: the response was sent (server) or received (client).</summary>
    Answered,
    /// <summary>The peer broke the protocol or a limit; <see cref="AppConnectionClosed.Error"/> says which.</summary>
    ProtocolError,
    /// <summary>The peer closed before the exchange finished, between messages.</summary>
    PeerClosed,
    /// <summary>The peer reset the connection (RST).</summary>
    PeerReset,
    /// <summary>Client: the connection could not be made.</summary>
    ConnectFailed,
    /// <summary>Client: the whole exchange took longer than allowed.</summary>
    TimedOut,
    /// <summary>Any other socket error.</summary>
    SocketError,
    /// <summary>Server: the application code (e.g. an action added in a notebook) threw.</summary>
    AppError,
    /// <summary>The server was stopped with the connection open.</summary>
    Stopped,
}
