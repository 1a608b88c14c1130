namespace SocketsNotebooks.Inside;

/// <summary>What <see cref="DelayDemo"/> measured, or why it could not run here.</summary>
/// <param name="Ran">False where the machine does not allow it (no namespaces, or a kernel without netem).</param>
/// <param name="Reason">What was found: the netem that was applied, or what was missing and how to check for it.</param>
/// <param name="Requests">Request/response times at each one-way delay.</param>
/// <param name="Throughput">Bytes per second at each receive buffer size, at <see cref="DelayDemo.Delay"/>.</param>
public sealed record DelayRun(bool Ran, string Reason, IReadOnlyList<RequestTiming> Requests, IReadOnlyList<ThroughputPoint> Throughput);

/// <summary>One request/response over a loopback delayed by <paramref name="DelayMs"/> each way.</summary>
/// <param name="DelayMs">netem's delay on the loopback interface (each packet, so a round trip is twice that).</param>
/// <param name="RoundTripMs">The client's TCP_INFO round-trip time after the exchanges.</param>
/// <param name="RequestMs">How long one 100-byte request took until its 100-byte reply was read.</param>
public sealed record RequestTiming(double DelayMs, double RoundTripMs, double RequestMs);

/// <summary>A transfer through a receive buffer of <paramref name="ReceiveBuffer"/> bytes over a delayed loopback.</summary>
/// <param name="ReceiveBuffer">SO_RCVBUF the server asked for (Linux doubles it and keeps part for itself).</param>
/// <param name="Bytes">Bytes that arrived.</param>
/// <param name="Seconds">How long the transfer ran.</param>
/// <param name="RoundTripMs">The sender's TCP_INFO round-trip time at the end.</param>
public sealed record ThroughputPoint(int ReceiveBuffer, long Bytes, double Seconds, double RoundTripMs)
{
    /// <summary>Bytes per second.</summary>
    public double BytesPerSecond => Seconds > 0 ? Bytes / Seconds : 0;

    /// <summary>The bandwidth-delay product's prediction: one receive window per round trip.</summary>
    public double WindowPerRoundTrip => RoundTripMs > 0 ? ReceiveBuffer / (RoundTripMs / 1000) : 0;
}
