namespace SocketsNotebooks.Inside;

/// <summary>One request of <see cref="NagleExperiment"/>: written as two small <c>send()</c>s, answered, timed.</summary>
/// <param name="NoDelay">Whether the client had set <c>NoDelay</c> (TCP_NODELAY), switching Nagle's algorithm off.</param>
/// <param name="Request">The request's number on its connection, from 1.</param>
/// <param name="Ms">Milliseconds from the first <c>send()</c> until the whole reply had been read.</param>
public sealed record NagleSample(bool NoDelay, int Request, double Ms);
