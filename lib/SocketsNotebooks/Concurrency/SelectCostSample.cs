namespace SocketsNotebooks.Concurrency;

/// <summary>What one call of a selector cost with a given number of sockets registered (one of them ready).</summary>
/// <param name="Selector">Which selector: <c>Selector</c> (Socket.Select, poll) or <c>EpollSelector</c> (epoll_wait).</param>
/// <param name="Sockets">Sockets registered for reading.</param>
/// <param name="Calls">Calls timed.</param>
/// <param name="MicrosecondsPerCall">Time of one <c>Select</c> call, answer included: the median over batches of about a millisecond.</param>
public sealed record SelectCostSample(string Selector, int Sockets, long Calls, double MicrosecondsPerCall);
