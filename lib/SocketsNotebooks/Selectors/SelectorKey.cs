using System.Net.Sockets;
using SocketsNotebooks.Tracing;

namespace SocketsNotebooks.Selectors;

/// <summary>
/// One registration in a selector (<see cref="Selector"/>, <see cref="EpollSelector"/>): Python's <c>SelectorKey</c> (<c>fileobj</c>, <c>events</c>, <c>data</c>).
/// Like Python's it is immutable: <see cref="BaseSelector.Modify(Socket, SelectorEvents, object?)"/> hands back a new key.
/// </summary>
/// <param name="FileObj">What was registered: a <see cref="System.Net.Sockets.Socket"/> or a <see cref="TracedSocket"/>.</param>
/// <param name="Socket">The BCL socket underneath, the one <c>Socket.Select</c> watches.</param>
/// <param name="Events">What the socket is watched for.</param>
/// <param name="Data">Anything the loop wants back when the socket is ready (the tutorial's <c>types.SimpleNamespace</c>).</param>
public sealed record SelectorKey(object FileObj, Socket Socket, SelectorEvents Events, object? Data)
{
    /// <summary>The registered <see cref="TracedSocket"/>, or null when a plain <see cref="System.Net.Sockets.Socket"/> was registered.</summary>
    public TracedSocket? Traced => FileObj as TracedSocket;
}
