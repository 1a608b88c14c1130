using System.Net.Sockets;

namespace SocketsNotebooks.Tracing;

/// <summary>Sorting socket errors once, so every loop of the course calls the same ones a reset.</summary>
public static class SocketErrors
{
    /// <summary>
    /// Whether <paramref name="code"/> means the peer is gone rather than something wrong on our side:
    /// ECONNRESET (it sent an RST), ECONNABORTED (the connection was torn down) or EPIPE, which .NET
    /// reports as <see cref="SocketError.Shutdown"/> (we sent after the peer's reset).
    /// </summary>
    public static bool IsPeerReset(SocketError code) =>
        code is SocketError.ConnectionReset or SocketError.ConnectionAborted or SocketError.Shutdown;

    /// <summary>Whether the exception's error code is a peer reset (see <see cref="IsPeerReset(SocketError)"/>).</summary>
    public static bool IsPeerReset(this SocketException exception) =>
        IsPeerReset((exception ?? throw new ArgumentNullException(nameof(exception))).SocketErrorCode);
}
