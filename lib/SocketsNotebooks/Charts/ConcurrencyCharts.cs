using System.Globalization;
using System.Text.Json.Nodes;
using SocketsNotebooks.Concurrency;
using static SocketsNotebooks.Charts.PlotlyParts;

namespace SocketsNotebooks.Charts;

/// <summary>
/// Charts of notebook 06: who got answered under which server, what one <c>select()</c> costs as
/// sockets grow, what connections cost in threads and memory, and every model side by side under the
/// same load. Each model keeps one colour in every chart.
/// </summary>
public static partial class ConcurrencyCharts
{
    private static readonly CultureInfo s_inv = CultureInfo.InvariantCulture;

    /// <summary>
    /// Echoes each connection got back during one or more runs of <see cref="EchoLoad"/>, one group of
    /// bars per connection and one colour per run: under a server that serves one client at a time,
    /// one bar is tall and the rest are zero.
    /// </summary>
    public static PlotlyFigure RequestsPerConnection(IEnumerable<EchoLoadResult> runs, string title)
    {
        ArgumentNullException.ThrowIfNull(runs);
        var traces = new List<JsonObject>();
        foreach (var run in runs)
        {
            var bar = PlotlyTrace("bar");
            bar.Set("name", run.Model);
            bar.Set("x", run.RequestsPerConnection.Select((_, i) => $"conn {i + 1}").ToArray());
            bar.Set("y", run.RequestsPerConnection.ToArray());
            bar.Set("text", run.RequestsPerConnection.Select(n => n.ToString("N0", s_inv)).ToArray());
            bar.Set("textposition", "outside");
            bar.Set("cliponaxis", false);
            bar.Set("hovertext", run.RequestsPerConnection.Select((n, i) => Escape(n > 0
                ? $"{run.Model}: connection {i + 1} got {n:N0} echoes back in {run.Seconds:0.00} s"
                : $"{run.Model}: connection {i + 1} got nothing back in {run.Seconds:0.00} s (connected, but its request waited the whole run)")).ToArray());
            bar.Set("hoverinfo", "text");
            bar.Set("marker", Dyn(("color", ColorOf(run.Model))));
            traces.Add(bar);
        }
        var layout = BaseLayout(title, Axis("connection (each sends its next request as soon as its echo is back)", automargin: true, category: true),
            Axis("echoes received in the measured window", automargin: true, toZero: true), height: 400);
        layout.Set("barmode", "group");
        return Chart(traces, layout);
    }

    /// <summary>
    /// Microseconds per <c>Select</c> call against sockets registered, both axes logarithmic: a line
    /// that climbs one decade per decade costs O(n) per call; a flat one costs the same at any size.
    /// </summary>
    public static PlotlyFigure SelectCost(IEnumerable<SelectCostSample> samples, string title)
    {
        ArgumentNullException.ThrowIfNull(samples);
        var all = samples.ToArray();
        var traces = new List<JsonObject>();
        foreach (var (selector, i) in all.Select(s => s.Selector).Distinct().Select((s, i) => (s, i)))
        {
            var mine = all.Where(s => s.Selector == selector).OrderBy(s => s.Sockets).ToArray();
            var line = PlotlyTrace("scatter");
            line.Set("name", selector);
            line.Set("mode", "lines+markers+text");
            line.Set("x", mine.Select(s => s.Sockets).ToArray());
            line.Set("y", mine.Select(s => s.MicrosecondsPerCall).ToArray());
            line.Set("text", mine.Select(s => Micro(s.MicrosecondsPerCall)).ToArray());
            line.Set("textposition", i == 0 ? "top left" : "bottom right");
            line.Set("hovertext", mine.Select(s => Escape(
                $"{selector}: {s.MicrosecondsPerCall.ToString("0.##", s_inv)} µs per call with {s.Sockets:N0} socket(s) registered ({s.Calls:N0} calls timed)")).ToArray());
            line.Set("hoverinfo", "text");
            line.Set("marker", Dyn(("size", 9), ("color", i == 0 ? "#636efa" : "#19d3f3")));
            line.Set("line", Dyn(("color", i == 0 ? "#636efa" : "#19d3f3"), ("width", 2)));
            traces.Add(line);
        }
        return Chart(traces, BaseLayout(title, LogAxis("sockets registered (log scale)"), LogAxis("µs per Select call (log scale)"), height: 420));
    }

    /// <summary>Threads the process gained against connections held open, one line per model.</summary>
    public static PlotlyFigure Threads(IEnumerable<ConnectionCostSample> samples, string title) =>
        CostLines(samples, title, "threads added to the process", s => s.ThreadsAdded,
            s => $"{s.Connections:N0} connections: {s.Threads:N0} threads in the process ({s.ThreadsAdded:N0} more than with none)",
            last => $"{last.ThreadsAdded:N0} threads for {last.Connections:N0} connections");

    /// <summary>
    /// Resident memory the process gained against connections held open, one line per model; the
    /// legend gives each model's cost per connection at the largest count.
    /// </summary>
    public static PlotlyFigure Memory(IEnumerable<ConnectionCostSample> samples, string title) =>
        CostLines(samples, title, "resident memory added (MB)", s => Math.Round(s.ResidentBytesAdded / 1048576.0, 2),
            s => $"{s.Connections:N0} connections: {s.ResidentBytesAdded / 1048576.0:0.0} MB resident, {s.VirtualBytesAdded / 1048576.0:N0} MB reserved, {s.ManagedBytesAdded / 1048576.0:0.0} MB .NET heap",
            last => $"≈ {last.ResidentBytesPerConnection / 1024:0.0} KB per connection");

    private static PlotlyFigure CostLines(IEnumerable<ConnectionCostSample> samples, string title, string yTitle,
        Func<ConnectionCostSample, double> value, Func<ConnectionCostSample, string> hover, Func<ConnectionCostSample, string> summary)
    {
        ArgumentNullException.ThrowIfNull(samples);
        var all = samples.ToArray();
        var traces = new List<JsonObject>();
        foreach (var model in all.Select(s => s.Model).Distinct())
        {
            var mine = all.Where(s => s.Model == model).OrderBy(s => s.Connections).ToArray();
            var line = PlotlyTrace("scatter");
            line.Set("name", $"{model}: {summary(mine[^1])}");
            line.Set("mode", "lines+markers");
            line.Set("x", mine.Select(s => s.Connections).ToArray());
            line.Set("y", mine.Select(value).ToArray());
            line.Set("hovertext", mine.Select(s => Escape($"{model}, {hover(s)}")).ToArray());
            line.Set("hoverinfo", "text");
            line.Set("marker", Dyn(("size", 8), ("color", ColorOf(model))));
            line.Set("line", Dyn(("color", ColorOf(model)), ("width", 2)));
            traces.Add(line);
        }
        var layout = BaseLayout(title, Axis("connections open (each answered once, then idle)", automargin: true, toZero: true),
            Axis(yTitle, automargin: true, zeroline: true), height: 400);
        layout.Set("legend", Dyn(("x", 0.01), ("y", 0.99), ("bgcolor", "rgba(255,255,255,0.7)")));
        return Chart(traces, layout);
    }

    private static JsonObject LogAxis(string title)
    {
        var axis = Axis(title, automargin: true, dtick: 1);
        axis.Set("type", "log");
        return axis;
    }

    private static string Micro(double microseconds) =>
        microseconds < 10 ? microseconds.ToString("0.0", s_inv) + " µs" : microseconds.ToString("N0", s_inv) + " µs";

    // A model keeps its colour in every chart; a run is matched by its label (EchoModels.Label).
    private static string ColorOf(string label) =>
        Enum.GetValues<ConcurrencyModel>().FirstOrDefault(m => EchoModels.Label(m) == label, (ConcurrencyModel)(-1)) switch
        {
            ConcurrencyModel.Blocking => "#7f7f7f",
            ConcurrencyModel.Threads => "#ef553b",
            ConcurrencyModel.Select => "#636efa",
            ConcurrencyModel.Epoll => "#19d3f3",
            ConcurrencyModel.Async => "#00cc96",
            _ => Colors[(uint)label.GetHashCode(StringComparison.Ordinal) % Colors.Length],
        };
}
