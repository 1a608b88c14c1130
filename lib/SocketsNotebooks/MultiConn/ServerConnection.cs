using SocketsNotebooks.Selectors;
using SocketsNotebooks.Tracing;

namespace SocketsNotebooks.MultiConn;

/// <summary>
/// The server's per-connection state, the tutorial's <c>types.SimpleNamespace(addr=..., inb=b"", outb=b"")</c>:
/// it rides along as the selector key's data.
/// </summary>
internal sealed class ServerConnection(TracedSocket socket, double openedMs) : SelectorConnection(socket)
{
    /// <summary>The tutorial's <c>addr</c>, kept because a reset socket may no longer say who its peer was.</summary>
    public string Peer { get; } = socket.RemoteEndPoint?.ToString() ?? "?";

    /// <summary>Bytes received and not yet echoed back (the tutorial's <c>outb</c>).</summary>
    public OutBuffer Outb { get; } = new();

    /// <summary>The peer sent its FIN; close once <see cref="Outb"/> is empty.</summary>
    public bool PeerFinished { get; set; }

    public double LastActivityMs { get; set; } = openedMs;

    /// <summary>When bytes last moved, on the server's clock (its TimeProvider's timestamp), for the idle timeout.</summary>
    public long LastActivity { get; set; }
}
