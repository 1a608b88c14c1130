using System.Net.Sockets;
using SocketsNotebooks.Tracing;

namespace SocketsNotebooks.Selectors;

// The listener's side of the loop: accept one connection per wake-up, or refuse it at the connection cap.
public abstract partial class SelectorServer
{
    // The tutorial's accept_wrapper, first half: accept and go non-blocking.
    private int Accept(TracedSocket listener)
    {
        // One accept per wake-up, like the tutorial: if more connections wait, the listener is
        // still readable and the next Select returns at once.
        TracedSocket connection;
        try
        {
            connection = Track(AcceptConnection(listener));
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.WouldBlock || e.IsPeerReset())
        {
            // The client gave up between Select and Accept (ECONNABORTED): nothing to do (the trace has the error).
            return 0;
        }
        catch (SocketException e) when (!Stopping.IsCancellationRequested)
        {
            // E.g. out of file descriptors (EMFILE, ENFILE) or buffers (ENOBUFS). The connection stays
            // in the backlog and the listener stays readable: retrying at once would spin at 100% CPU
            // and log thousands of lines a second. Out of descriptors, the spare one makes room to
            // accept the waiting connection and close it, so its client hears "no" instead of waiting;
            // then the listener rests for a moment. The connections already open carry on.
            if (e.SocketErrorCode == SocketError.TooManyOpenSockets
                && _acceptGuard.ShedOne(() => AcceptConnection(listener)) is { } peer)
            {
                TryLog($"Closing connection to {peer} ({nameof(CloseReason.Overloaded)}: {AcceptGuard.ShedDetail})", listener);
            }
            Selector.Unregister(Listener);
            if (_acceptGuard.Pause(e.SocketErrorCode) is { } line)
            {
                TryLog(line, listener);
            }
            return 0;
        }
        // The connection just accepted is already counted in TrackedConnections.
        if (MaxConnections is { } max && TrackedConnections > max)
        {
            Refuse(connection, max);
            return 1;
        }
        try
        {
            connection.Blocking = false;
            AcceptWrapper(connection);
        }
        catch (SocketException e) when (e.IsPeerReset() && !Stopping.IsCancellationRequested)
        {
            // E.g. the peer reset before we could read its address: this connection never gets served, everyone else does.
            Reject(connection, CloseReason.PeerReset, e);
        }
        catch (Exception e) when (e is not OutOfMemoryException && !Stopping.IsCancellationRequested)
        {
            // Another socket error, or a log callback threw.
            Reject(connection, e is SocketException ? CloseReason.SocketError : CloseReason.AppError, e);
        }
        return 1;
    }

    // At the cap: accepted only to be closed, so its client hears "no" at once instead of waiting in
    // the backlog, and the listener does not stay readable (no spin, no rest needed). A FIN, not a
    // reset: the client may not have sent anything yet.
    private void Refuse(TracedSocket connection, int max)
    {
        // Read before closing: a closed socket no longer says who its peer was.
        string peer = PythonRepr.Address(connection.RemoteEndPoint);
        CloseConnection(connection, CloseReason.Overloaded, AcceptGuard.LimitDetail(max));
        if (_acceptGuard.Refused(max, peer) is { } line)
        {
            TryLog(line, Listener);
        }
    }
}
