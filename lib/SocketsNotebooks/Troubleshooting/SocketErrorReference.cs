using System.Net.Sockets;

namespace SocketsNotebooks.Troubleshooting;

/// <summary>
/// The socket errors a learner meets first, mapped across C# (<see cref="SocketError"/>), the OS (errno)
/// and Python (the exceptions in the tutorial's reference section). Displays as a table.
/// </summary>
public static class SocketErrorReference
{
    private static readonly SocketErrorInfo[] s_table =
    [
        new(SocketError.WouldBlock, "EAGAIN / EWOULDBLOCK", 11, "BlockingIOError",
            "A non-blocking socket could not do the call right now: no data to read, or the send buffer is full. Not a failure: wait for select() and try again."),
        new(SocketError.AddressAlreadyInUse, "EADDRINUSE", 98, "OSError: [Errno 98] Address already in use",
            "Another socket is bound to that address and port: a server still running, or (for programs that do not set SO_REUSEADDR) an old connection in TIME_WAIT."),
        new(SocketError.AddressNotAvailable, "EADDRNOTAVAIL", 99, "OSError: [Errno 99] Cannot assign requested address",
            "The address to bind is not one of this machine's addresses."),
        new(SocketError.ConnectionRefused, "ECONNREFUSED", 111, "ConnectionRefusedError",
            "The peer's machine answered, but nothing listens on that port (or a firewall rejected it): the server is not running, or host/port are wrong."),
        new(SocketError.ConnectionReset, "ECONNRESET", 104, "ConnectionResetError",
            "The connection was aborted with a RST instead of closed with a FIN: the peer closed with unread data in its receive buffer or with linger 0, "
            + "this side wrote to a connection the peer had already closed, the peer's machine restarted and no longer knew the connection, or a "
            + "firewall cut it. A crashed or killed process usually does not cause one: its kernel closes its sockets with a FIN."),
        new(SocketError.Shutdown, "EPIPE", 32, "BrokenPipeError",
            "Sending on a connection the peer has already reset or that this side shut down for sending."),
        new(SocketError.ConnectionAborted, "ECONNABORTED", 103, "ConnectionAbortedError",
            "The connection was ended on this side (in .NET, also: the socket was closed under a pending call)."),
        new(SocketError.TimedOut, "ETIMEDOUT", 110, "TimeoutError (socket.timeout before Python 3.10)",
            "The kernel gave up on the peer: connect() got no answer, or on an open connection retransmissions or keepalive probes went "
            + "unanswered. A receive or send timeout (ReceiveTimeout, SendTimeout: SO_RCVTIMEO/SO_SNDTIMEO) is a different thing: the kernel "
            + "returns EAGAIN (11) and .NET reports it as TimedOut too; Python's settimeout() raises TimeoutError('timed out') with no errno."),
        new(SocketError.HostUnreachable, "EHOSTUNREACH", 113, "OSError: [Errno 113] No route to host",
            "No path to that host: it is down, or a network/firewall problem is in the way."),
        new(SocketError.NetworkUnreachable, "ENETUNREACH", 101, "OSError: [Errno 101] Network is unreachable",
            "This machine has no route to that network at all (no interface, no default gateway)."),
        new(SocketError.AccessDenied, "EACCES", 13, "PermissionError",
            "Not allowed: on Unix, binding a port below 1024 needs privileges."),
        new(SocketError.HostNotFound, "EAI_NONAME (getaddrinfo)", -2, "socket.gaierror: [Errno -2] Name or service not known",
            "The host name could not be resolved to an address (a typo, or DNS is not reachable)."),
    ];

    /// <summary>Every row, the everyday errors first.</summary>
    public static IReadOnlyList<SocketErrorInfo> Table => s_table;

    /// <summary>The row for <paramref name="error"/>, or a row that says the error is not in the table.</summary>
    public static SocketErrorInfo Lookup(SocketError error) =>
        s_table.FirstOrDefault(row => row.SocketError == error)
        ?? new SocketErrorInfo(error, "?", 0, "OSError", "Not in this table; see the SocketError documentation.");
}
