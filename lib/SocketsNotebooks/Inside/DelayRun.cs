namespace SocketsNotebooks.Inside;

/// <summary>What <see cref="DelayDemo"/> measured, or why it could not run here.</summary>
/// <param name="Ran">False where the machine does not allow it (no namespaces, or a kernel without netem).</param>
/// <param name="Reason">What was found: the netem that was applied, or what was missing and how to check for it.</param>
/// <param name="Requests">Request/response times at each one-way delay.</param>
/// <param name="Throughput">Bytes per second at each receive buffer size, at <see cref="DelayDemo.Delay"/>.</param>
public sealed record DelayRun(bool Ran, string Reason, IReadOnlyList<RequestTiming> Requests, IReadOnlyList<ThroughputPoint> Throughput);
