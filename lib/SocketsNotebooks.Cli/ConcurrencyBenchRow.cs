using SocketsNotebooks.Concurrency;

namespace SocketsNotebooks.Cli;

/// <summary>One row of <c>sockets bench concurrency</c>: one model at one number of connections.</summary>
/// <param name="Model">The model, as the command line names it.</param>
/// <param name="Connections">Connections, each with one request in flight.</param>
/// <param name="RequestsPerSecond">Echoes per second in the measured window.</param>
/// <param name="P50Ms">Median round trip in milliseconds, or null if nothing came back.</param>
/// <param name="P99Ms">99th percentile round trip in milliseconds, or null if nothing came back.</param>
/// <param name="VsFastest">Requests/s as a share of the fastest model at the same number of connections (1 for the fastest).</param>
/// <param name="Served">Connections that got at least one echo in the window.</param>
/// <param name="Result">Everything the load measured.</param>
public sealed record ConcurrencyBenchRow(string Model, int Connections, double RequestsPerSecond, double? P50Ms, double? P99Ms,
    double VsFastest, int Served, EchoLoadResult Result)
{
    /// <summary>The rows of a run, in the order measured, each compared with the fastest at its number of connections.</summary>
    public static IReadOnlyList<ConcurrencyBenchRow> From(IReadOnlyList<(ConcurrencyModel Model, EchoLoadResult Result)> measured)
    {
        ArgumentNullException.ThrowIfNull(measured);
        var fastest = measured.GroupBy(m => m.Result.Connections).ToDictionary(g => g.Key, g => g.Max(m => m.Result.RequestsPerSecond));
        return measured.Select(m =>
        {
            double best = fastest[m.Result.Connections];
            return new ConcurrencyBenchRow(ConcurrencyModelNames.Name(m.Model), m.Result.Connections, m.Result.RequestsPerSecond,
                m.Result.P50Microseconds / 1000, m.Result.P99Microseconds / 1000, best > 0 ? m.Result.RequestsPerSecond / best : 0,
                m.Result.Served, m.Result);
        }).ToList();
    }
}
