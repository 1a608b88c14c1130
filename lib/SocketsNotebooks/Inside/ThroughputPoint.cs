namespace SocketsNotebooks.Inside;

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
