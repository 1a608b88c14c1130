namespace SocketsNotebooks.Tracing;

/// <summary>What a recorded socket call was.</summary>
public enum TraceKind
{
    /// <summary><c>bind()</c> + <c>listen()</c>: the server is ready for connections.</summary>
    Listen,
    /// <summary><c>accept()</c> returned a new connection.</summary>
    Accept,
    /// <summary><c>connect()</c> finished.</summary>
    Connect,
    /// <summary><c>recv()</c> returned; 0 bytes means the peer closed (FIN).</summary>
    Recv,
    /// <summary><c>send()</c> returned; it may have taken fewer bytes than asked.</summary>
    Send,
    /// <summary><c>shutdown()</c>: one direction closed (half-close).</summary>
    Shutdown,
    /// <summary><c>close()</c>: the socket is gone.</summary>
    Close,
    /// <summary>A call failed, or the library closed a connection for a reason.</summary>
    Error,
}
