using System.Text.Json.Nodes;
using SocketsNotebooks.Concurrency;
using static SocketsNotebooks.Charts.PlotlyParts;

namespace SocketsNotebooks.Charts;

// The side-by-side charts: every model under the same closed-loop load, at each number of connections.
public static partial class ConcurrencyCharts
{
    /// <summary>
    /// Requests per second against connections (log scale), one line per model. Hover says how many
    /// of the connections were answered at all: a point where some waited the whole run is hollow.
    /// </summary>
    public static PlotlyFigure Throughput(IEnumerable<EchoLoadResult> results, string title) =>
        BenchLines(results, title, "requests per second (each one an echo of the full size)", r => Math.Round(r.RequestsPerSecond), logY: false);

    /// <summary>
    /// 99th-percentile time for one echo against connections, both axes logarithmic, one line per
    /// model. Where some connections got no answer at all, the 99th percentile is at least the whole
    /// run: that point is drawn hollow at the run's length and labelled "≥".
    /// </summary>
    public static PlotlyFigure Latency(IEnumerable<EchoLoadResult> results, string title) =>
        BenchLines(results, title, "p99 time for one echo, ms (log scale)",
            r => Math.Round((r.Starved > 0 || r.P99Microseconds is null ? r.Seconds * 1e6 : r.P99Microseconds.Value) / 1000, 3), logY: true);

    private static PlotlyFigure BenchLines(IEnumerable<EchoLoadResult> results, string title, string yTitle,
        Func<EchoLoadResult, double> value, bool logY)
    {
        ArgumentNullException.ThrowIfNull(results);
        var all = results.ToArray();
        var traces = new List<JsonObject>();
        foreach (var model in all.Select(r => r.Model).Distinct())
        {
            var mine = all.Where(r => r.Model == model).OrderBy(r => r.Connections).ToArray();
            string color = ColorOf(model);
            var line = PlotlyTrace("scatter");
            line.Set("name", model);
            line.Set("mode", "lines+markers");
            line.Set("x", mine.Select(r => r.Connections).ToArray());
            line.Set("y", mine.Select(value).ToArray());
            line.Set("hovertext", mine.Select(Hover).ToArray());
            line.Set("hoverinfo", "text");
            // Hollow where some connections got nothing back: the number is not the whole story there.
            line.Set("marker", Dyn(("size", 10), ("color", mine.Select(r => r.Starved > 0 ? "white" : color).ToArray()),
                ("line", Dyn(("color", color), ("width", 2)))));
            line.Set("line", Dyn(("color", color), ("width", 2), ("dash", mine.Any(r => r.Starved > 0) ? "dot" : "solid")));
            traces.Add(line);
        }
        var yAxis = logY ? LogAxis(yTitle) : Axis(yTitle, automargin: true, toZero: true);
        var layout = BaseLayout(title, LogAxis("connections, one request in flight each (log scale)"), yAxis, height: 440);
        if (all.Any(r => r.Starved > 0))
        {
            // The legend says what a hollow point means, right where the reader looks up the colours.
            layout.Set("legend", Dyn(("title", Dyn(("text", "○ hollow: some connections<br>got no echo in the whole run"),
                ("font", Dyn(("size", 11), ("color", "#555")))))));
        }
        return Chart(traces, layout);
    }

    // Hover text is HTML to plotly.js: the model's name is escaped, the line break is meant.
    private static string Hover(EchoLoadResult r)
    {
        string latency = r.P50Microseconds is { } p50 && r.P99Microseconds is { } p99
            ? $"p50 {EchoLoadResult.Duration(p50)}, p99 {EchoLoadResult.Duration(p99)}"
            : "no echo came back";
        string served = r.Starved == 0
            ? $"all {r.Connections:N0} connections answered"
            : $"only {r.Served:N0} of {r.Connections:N0} connections answered; the others waited the whole {r.Seconds:0.00} s, so p99 ≥ {r.Seconds * 1000:0} ms";
        return $"{Escape(r.Model)}, {r.Connections:N0} connection(s): {r.RequestsPerSecond:N0} req/s, {latency}<br>{served}";
    }
}
