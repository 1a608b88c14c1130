using System.Net;
using System.Net.Sockets;

namespace SocketsNotebooks.Tracing;

// Non-blocking connect, the tutorial's `sock.setblocking(False); sock.connect_ex(addr)`:
// start the handshake, get on with other work, and learn the outcome when the socket turns writable.
public sealed partial class TracedSocket
{
    /// <summary>
    /// Python's <c>connect_ex()</c>: starts connecting and returns an error code instead of throwing.
    /// On a non-blocking socket the answer is almost always <see cref="SocketError.WouldBlock"/> (Linux's
    /// EINPROGRESS): the handshake is under way. Wait until the socket is writable, then call <see cref="FinishConnect"/>.
    /// </summary>
    public SocketError ConnectEx(EndPoint remoteEndPoint)
    {
        try
        {
            Socket.Connect(remoteEndPoint);
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.WouldBlock or SocketError.InProgress or SocketError.AlreadyInProgress)
        {
            // Not a failure: exactly what a non-blocking connect is expected to say.
            return e.SocketErrorCode;
        }
        catch (SocketException e)
        {
            RecordError(e);
            return e.SocketErrorCode;
        }
        Connected();
        return SocketError.Success;
    }

    /// <summary>
    /// Ends a non-blocking connect once the socket turned writable: reads SO_ERROR (writable only
    /// says the handshake ended, not that it worked). Success records the <c>Connect</c>; anything
    /// else (e.g. <see cref="SocketError.ConnectionRefused"/>) is recorded as an error and returned.
    /// </summary>
    public SocketError FinishConnect()
    {
        var error = (SocketError)(int)Socket.GetSocketOption(SocketOptionLevel.Socket, SocketOptionName.Error)!;
        if (error == SocketError.Success)
        {
            Connected();
        }
        else
        {
            RecordError($"{error}: connect failed");
        }
        return error;
    }
}
