using System.Net.Sockets;

namespace SocketsNotebooks.Selectors;

/// <summary>
/// A small C# counterpart of Python's <c>selectors.DefaultSelector</c>, built on <see cref="Socket.Select(System.Collections.IList, System.Collections.IList, System.Collections.IList, int)"/>:
/// register sockets with an events mask (<see cref="SelectorEvents.Read"/> = <c>EVENT_READ</c>,
/// <see cref="SelectorEvents.Write"/> = <c>EVENT_WRITE</c>) and a data object, then ask
/// <see cref="BaseSelector.Select"/> which of them are ready. One thread can then serve many connections,
/// because it only calls <c>recv()</c>/<c>send()</c>/<c>accept()</c> on sockets that will not block.
/// </summary>
/// <remarks>
/// Every call hands the whole list of registered sockets to the OS (poll on Linux) and reads the
/// whole answer back: simple, portable, and O(registered sockets) per call. <see cref="EpollSelector"/>
/// has the same API and costs O(ready sockets) instead (notebook 06 measures both).
/// </remarks>
public sealed partial class Selector : BaseSelector
{
}
