namespace SocketsNotebooks.Tracing;

/// <summary>
/// Why a server, client or relay of this course closed one socket: the echo server and client of
/// notebook 01, the select loops of notebook 02, the application server and client of notebook 03, the
/// troubleshooting demos of notebook 04, the pub/sub broker and its clients of notebook 05 and the relay
/// all use this one list, through <see cref="TracedSocket.Close(CloseReason, string?)"/>. It is written
/// into the trace (the <c>Close</c> event's note, with what exactly happened in an <c>Error</c> event
/// just before) and kept in each server's records, so a notebook can tell a normal goodbye from a
/// reset, a broken message or a timeout.
/// </summary>
public enum CloseReason
{
    /// <summary>Still open.</summary>
    Open,
    /// <summary>The peer sent its FIN (<c>recv()</c> returned 0 bytes) between messages, and everything owed to it was sent.</summary>
    PeerClosed,
    /// <summary>
    /// This end finished what it came for and said goodbye: the multi-connection client once every byte
    /// it sent came back (the tutorial's <c>recv_total == msg_total</c>), an echo client after its echo,
    /// a publisher or subscriber that leaves, a demo done with its socket.
    /// </summary>
    Done,
    /// <summary>Application protocol: the exchange finished, the response was sent (server) or received (client).</summary>
    Answered,
    /// <summary>
    /// The peer reset the connection (RST, e.g. it closed with linger 0), or it is gone (EPIPE); the relay
    /// passes a reset on to the other side with this reason too.
    /// </summary>
    PeerReset,
    /// <summary>Multi-connection client: the server closed before all the bytes came back.</summary>
    PeerClosedEarly,
    /// <summary>Nothing arrived for longer than the idle timeout.</summary>
    IdleTimeout,
    /// <summary>The peer broke the wire format or a <c>MessageLimits</c> limit; the detail names the rule.</summary>
    ProtocolError,
    /// <summary>Pub/sub: a well-framed message that is not a pub/sub command (unknown verb, missing topic, not UTF-8).</summary>
    BadCommand,
    /// <summary>
    /// Pub/sub: the subscriber fell behind: more bytes waiting in its queue than the hard limit
    /// (<c>MaxQueuedBytes</c>), more than the soft limit for too long (<c>SoftQueuedBytes</c> for
    /// <c>SoftQueuedTime</c>), nothing taken for that long while the broker was full (<c>MaxTotalQueuedBytes</c>)
    /// or, if set, a message count (<c>MaxQueuedMessages</c>): it could not keep up, so it was cut off with a
    /// reset rather than letting memory grow (Redis's <c>client-output-buffer-limit</c> does the same).
    /// </summary>
    SlowSubscriber,
    /// <summary>
    /// Client: the connection could not be made (refused, unreachable, timed out; for a non-blocking
    /// connect, its SO_ERROR was set). Relay: the server behind it could not be reached.
    /// </summary>
    ConnectFailed,
    /// <summary>Client: the run's or the exchange's time limit passed before this connection finished.</summary>
    TimedOut,
    /// <summary>Any other socket error; the trace's <c>Error</c> event names it.</summary>
    SocketError,
    /// <summary>
    /// Code running on top of the sockets threw while this connection was served (an action added in
    /// a notebook, a log callback): that connection is closed, the server carries on.
    /// </summary>
    AppError,
    /// <summary>The server was stopped with the connection still open.</summary>
    Stopped,
    /// <summary>
    /// The server had no room for it: it was out of file descriptors (EMFILE), so it accepted the
    /// connection with its spare descriptor only to close it at once, or taking the message's content
    /// would have passed the server's cap on bytes buffered across all connections.
    /// </summary>
    Overloaded,
}
