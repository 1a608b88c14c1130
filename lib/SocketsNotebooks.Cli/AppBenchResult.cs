namespace SocketsNotebooks.Cli;

/// <summary>What one <c>bench app</c> run measured.</summary>
/// <param name="Connections">Requests kept in flight, each on its own connection.</param>
/// <param name="Seconds">Length of the measured period.</param>
/// <param name="Requests">Requests answered inside it.</param>
/// <param name="Failed">Requests that ended without an answer inside it.</param>
/// <param name="RequestsPerSecond">Answered requests per second.</param>
/// <param name="P50Ms">Median latency: connect to the last byte of the response.</param>
/// <param name="P99Ms">99th percentile latency.</param>
public sealed record AppBenchResult(int Connections, double Seconds, long Requests, long Failed, double RequestsPerSecond, double P50Ms, double P99Ms)
{
    /// <summary>Computes the figures from the measured latencies (sorted in place).</summary>
    public static AppBenchResult From(int connections, double seconds, List<double> latenciesMs, long failed)
    {
        ArgumentNullException.ThrowIfNull(latenciesMs);
        latenciesMs.Sort();
        double Percentile(double p) => latenciesMs.Count == 0 ? double.NaN : latenciesMs[Math.Min(latenciesMs.Count - 1, (int)Math.Ceiling(p * latenciesMs.Count) - 1)];
        return new AppBenchResult(connections, seconds, latenciesMs.Count, failed,
            seconds > 0 ? latenciesMs.Count / seconds : 0, Percentile(0.50), Percentile(0.99));
    }
}
