using System.Globalization;
using SocketsNotebooks.Inside;
using static SocketsNotebooks.Charts.PlotlyParts;

namespace SocketsNotebooks.Charts;

/// <summary>
/// Charts for notebook 07: the segment ladder, TCP_INFO over time, the Nagle/delayed-ACK request times, and the
/// delay experiments (where the kernel has netem).
/// </summary>
public static class InsideCharts
{
    /// <summary>A ladder run, titled with what it was and, in smaller print below, where its segments come from (live or recorded, date, kernel).</summary>
    public static PlotlyFigure Ladder(LadderRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        return Ladder(run.Ladder, $"{run.Title}<br>{Subtitle(run.Source)}");
    }

    /// <summary>The part of a lossy transfer's ladder around its first retransmission (<see cref="LossRun.Excerpt"/>), titled with where it comes from.</summary>
    public static PlotlyFigure Ladder(LossRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        return Ladder(run.Excerpt(), $"Around the first retransmission<br>{Subtitle(run.Source)}");
    }

    /// <summary>
    /// The classic ladder diagram: client and server lines, one arrow per segment labelled with its flags, relative
    /// seq and ack, length and window, time running down; TCP's notable moments in red.
    /// </summary>
    public static PlotlyFigure Ladder(Ladder ladder, string title = "The segments of one connection")
    {
        ArgumentNullException.ThrowIfNull(ladder);
        return LadderFigure.Build(ladder, title);
    }

    /// <summary>One TCP_INFO reading as a table: the kernel's field name, the value with its unit, and what it means.</summary>
    public static PlotlyFigure TcpInfoTable(TcpInfo info, string title = "TCP_INFO: the kernel's record of this connection")
    {
        ArgumentNullException.ThrowIfNull(info);
        var fields = info.Fields();
        var table = PlotlyTrace("table");
        table.Set("columnwidth", new[] { 90, 70, 240 });
        table.Set("header", Dyn(("values", new[] { "field (struct tcp_info)", "value", "what it says" }), ("align", "left"),
            ("fill", Dyn(("color", "#dde1e8")))));
        table.Set("cells", Dyn(("values", new object[]
            {
                fields.Select(f => f.Field).ToArray(), fields.Select(f => f.Value).ToArray(), fields.Select(f => Escape(f.Meaning)).ToArray(),
            }), ("align", "left"), ("height", 24)));
        return Chart([table], TableLayout(title, 110 + 25 * fields.Count));
    }

    /// <summary>TCP_INFO over time: windows and bytes in flight above, congestion window and retransmissions below.</summary>
    public static PlotlyFigure TcpInfo(IReadOnlyList<TcpInfoSample> samples, string title = "TCP_INFO of one connection over time")
    {
        ArgumentNullException.ThrowIfNull(samples);
        return TcpInfoFigure.Build(samples, title);
    }

    /// <summary>
    /// The time of every request of <see cref="NagleExperiment.Run"/>, one dot each, NoDelay off and on in two rows,
    /// on a logarithmic axis (tens of microseconds and tens of milliseconds on one chart), the medians marked.
    /// </summary>
    public static PlotlyFigure Nagle(NagleRun run, string? title = null)
    {
        ArgumentNullException.ThrowIfNull(run);
        var traces = new List<System.Text.Json.Nodes.JsonObject>();
        foreach (var (noDelay, name, color) in new[] { (false, "NoDelay off (Nagle on, the default)", "#E45756"), (true, "NoDelay on", "#4C78A8") })
        {
            var samples = run.Samples.Where(s => s.NoDelay == noDelay).ToArray();
            var dots = PlotlyTrace("scatter");
            dots.Set("name", name);
            dots.Set("mode", "markers");
            dots.Set("x", samples.Select(s => s.Ms).ToArray());
            // A small fixed spread per request number, so equal times do not hide each other.
            dots.Set("y", samples.Select(s => (noDelay ? 1.0 : 0.0) + ((s.Request % 5) - 2) * 0.06).ToArray());
            dots.Set("marker", Dyn(("color", color), ("size", 9), ("opacity", 0.8)));
            dots.Set("hovertext", samples.Select(s => $"request #{s.Request}, {name}: {s.Ms.ToString("0.###", CultureInfo.InvariantCulture)} ms").ToArray());
            dots.Set("hoverinfo", "text");
            traces.Add(dots);
            var median = PlotlyTrace("scatter");
            median.Set("name", $"median, {name}");
            median.Set("mode", "markers+text");
            median.Set("x", new[] { run.Median(noDelay) });
            median.Set("y", new[] { noDelay ? 1.3 : 0.3 });
            median.Set("text", new[] { $"median {run.Median(noDelay).ToString("0.###", CultureInfo.InvariantCulture)} ms" });
            median.Set("textposition", "top center");
            median.Set("marker", Dyn(("color", "#333"), ("symbol", "triangle-down"), ("size", 12)));
            median.Set("hoverinfo", "skip");
            median.Set("showlegend", false);
            traces.Add(median);
        }
        var x = Axis("milliseconds from the first send() to the whole reply read (log scale)");
        x.Set("type", "log");
        var y = Axis("");
        y.Set("tickvals", new[] { 0, 1 });
        y.Set("ticktext", new[] { "NoDelay off", "NoDelay on" });
        y.Set("range", new[] { -0.5, 1.7 });
        y.Set("zeroline", false);
        var layout = BaseLayout(title ?? $"{run.Requests(false)} requests each: {run.RequestSize} bytes in two send()s, then a {run.ReplySize}-byte reply",
            x, y, height: 380);
        layout.Set("legend", Dyn(("orientation", "h"), ("y", -0.3)));
        layout.Set("margin", Dyn(("t", 60), ("b", 100)));
        return Chart(traces, layout);
    }

    private static string Subtitle(string text) => $"<span style=\"font-size:12px;color:#666\">{Escape(text)}</span>";

    /// <summary>Request/response time against the measured round trip, with the line where the two are equal.</summary>
    public static PlotlyFigure RequestTimes(DelayRun run) => DelayFigures.RequestTimes(run);

    /// <summary>Throughput against receive buffer size at one round trip, with the bandwidth-delay product's limit (one window per round trip).</summary>
    public static PlotlyFigure Throughput(DelayRun run) => DelayFigures.Throughput(run);
}
