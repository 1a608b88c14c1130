using SocketsNotebooks.Tracing;

namespace SocketsNotebooks.Selectors;

/// <summary>
/// What a <see cref="SelectorServer"/> keeps for one accepted connection and hands back as the
/// selector key's data (the tutorial's <c>types.SimpleNamespace(addr=..., inb=b"", outb=b"")</c>).
/// Each notebook's server derives its own state from it; the loop only needs the socket, the peer and
/// whether the connection was already closed.
/// </summary>
public abstract class SelectorConnection
{
    /// <summary>State for the connection on <paramref name="socket"/>, just accepted.</summary>
    protected SelectorConnection(TracedSocket socket)
    {
        Socket = socket ?? throw new ArgumentNullException(nameof(socket));
        PythonPeer = PythonRepr.Address(socket.RemoteEndPoint);
    }

    /// <summary>The accepted socket.</summary>
    public TracedSocket Socket { get; }

    /// <summary>
    /// The peer the way the tutorial prints it, <c>('127.0.0.1', 50098)</c>; kept because a reset
    /// socket may no longer say who its peer was.
    /// </summary>
    public string PythonPeer { get; }

    /// <summary>Why the server closed it, or null while it is open.</summary>
    public CloseReason? CloseReason { get; internal set; }

    /// <summary>Whether the server has closed it (a connection cut off earlier in a wake-up is skipped).</summary>
    public bool IsClosed => CloseReason is not null;
}
