namespace SocketsNotebooks.Cli;

/// <summary>What one <c>bench multiconn</c> run measured.</summary>
/// <param name="Connections">Connections, each with one request in flight.</param>
/// <param name="Size">Bytes per request (and per echo).</param>
/// <param name="Seconds">Length of the measured period.</param>
/// <param name="Requests">Requests that started and finished inside it.</param>
/// <param name="RequestsPerSecond">Requests per second.</param>
/// <param name="MiBPerSecond">Payload MiB per second, one way (the echo carries as much back).</param>
/// <param name="P50Ms">Median latency, send of the first byte to receipt of the last echoed byte.</param>
/// <param name="P99Ms">99th percentile latency.</param>
public sealed record BenchMultiConnResult(int Connections, int Size, double Seconds, long Requests, double RequestsPerSecond,
    double MiBPerSecond, double P50Ms, double P99Ms)
{
    /// <summary>Computes the figures from the measured latencies.</summary>
    public static BenchMultiConnResult From(int connections, int size, double seconds, List<double> latenciesMs, long bytes)
    {
        ArgumentNullException.ThrowIfNull(latenciesMs);
        latenciesMs.Sort();
        double Percentile(double p) => latenciesMs.Count == 0 ? double.NaN : latenciesMs[Math.Min(latenciesMs.Count - 1, (int)Math.Ceiling(p * latenciesMs.Count) - 1)];
        return new BenchMultiConnResult(connections, size, seconds, latenciesMs.Count,
            seconds > 0 ? latenciesMs.Count / seconds : 0, seconds > 0 ? bytes / seconds / (1024 * 1024) : 0,
            Percentile(0.50), Percentile(0.99));
    }
}
