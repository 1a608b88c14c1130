using System.Net.Sockets;

namespace SocketsNotebooks.Concurrency;

internal static class SocketAbort
{
    /// <summary>
    /// Closes with a reset (linger 0) instead of a FIN, as load generators do: a thousand closes leave
    /// no ports waiting in TIME_WAIT for a minute.
    /// </summary>
    public static void Abort(this Socket socket)
    {
        try
        {
            socket.LingerState = new LingerOption(true, 0);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // Already reset by the peer, or closed: the dispose below is all that is left.
        }
        socket.Dispose();
    }
}
