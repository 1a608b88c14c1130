namespace SocketsNotebooks.Inside;

/// <summary>One request/response over a loopback delayed by <paramref name="DelayMs"/> each way.</summary>
/// <param name="DelayMs">netem's delay on the loopback interface (each packet, so a round trip is twice that).</param>
/// <param name="RoundTripMs">The client's TCP_INFO round-trip time after the exchanges.</param>
/// <param name="RequestMs">How long one 100-byte request took until its 100-byte reply was read.</param>
public sealed record RequestTiming(double DelayMs, double RoundTripMs, double RequestMs);
