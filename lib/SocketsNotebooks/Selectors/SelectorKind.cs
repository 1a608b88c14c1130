namespace SocketsNotebooks.Selectors;

/// <summary>Which selector an event loop waits with.</summary>
public enum SelectorKind
{
    /// <summary><see cref="Selector"/>: <c>Socket.Select</c> (poll on Linux) over every registered socket, on every call. Runs everywhere.</summary>
    Select,
    /// <summary><see cref="EpollSelector"/>: the kernel keeps the list and reports only ready sockets. Linux only.</summary>
    Epoll,
}
