namespace SocketsNotebooks.Concurrency;

/// <summary>The ways notebook 06 serves the same echo service to many clients.</summary>
public enum ConcurrencyModel
{
    /// <summary>Notebook 01's loop: accept one client, echo until it leaves, then the next (<see cref="BlockingEchoServer"/>).</summary>
    Blocking,
    /// <summary>The same blocking code on a thread of its own for every connection (<see cref="ThreadPerConnectionEchoServer"/>).</summary>
    Threads,
    /// <summary>Notebook 02's select loop on <c>Socket.Select</c> (<c>MultiConnServer</c> with <c>Selector</c>).</summary>
    Select,
    /// <summary>The same loop, unchanged, on <c>EpollSelector</c> (Linux).</summary>
    Epoll,
    /// <summary><c>async</c>/<c>await</c> on <c>Socket.ReceiveAsync</c>/<c>SendAsync</c>: the runtime's own epoll loop underneath (<see cref="AsyncEchoServer"/>).</summary>
    Async,
}
