namespace SocketsNotebooks.Selectors;

/// <summary>
/// What a registered socket is watched for: the events mask of Python's <c>selectors</c>
/// (<see cref="Read"/> is <c>EVENT_READ</c>, <see cref="Write"/> is <c>EVENT_WRITE</c>). Combine with <c>|</c>.
/// </summary>
[Flags]
public enum SelectorEvents
{
    /// <summary>Nothing; not allowed in a registration (Python refuses it too).</summary>
    None = 0,
    /// <summary><c>EVENT_READ</c>: data (or a FIN, or a new connection on a listener) is waiting, so <c>recv()</c>/<c>accept()</c> will not block.</summary>
    Read = 1,
    /// <summary><c>EVENT_WRITE</c>: the send buffer has room, so <c>send()</c> will not block; also how a non-blocking connect says it finished.</summary>
    Write = 2,
}
