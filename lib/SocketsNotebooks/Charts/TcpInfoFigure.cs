using System.Text.Json.Nodes;
using SocketsNotebooks.Inside;
using static SocketsNotebooks.Charts.PlotlyParts;

namespace SocketsNotebooks.Charts;

/// <summary>
/// The figure behind <see cref="InsideCharts.TcpInfo"/>: one connection's TCP_INFO over time, in two panels on one
/// time axis. Above, in bytes: the window the peer last advertised, the bytes in flight (unacknowledged segments
/// × MSS) and the bytes still waiting in the send buffer. Below, in segments: the congestion window and the
/// slow-start threshold, with a red mark wherever the retransmission counter went up.
/// </summary>
internal static class TcpInfoFigure
{
    // Until the first loss, Linux reports the slow-start threshold as "infinite" (0x7fffffff): not worth a line.
    private const long InfiniteThreshold = int.MaxValue;

    public static PlotlyFigure Build(IReadOnlyList<TcpInfoSample> samples, string title)
    {
        var t = samples.Select(s => s.TimeMs).ToArray();
        JsonObject Line(string name, IEnumerable<long?> y, string color, string unit, string axis, string dash = "solid")
        {
            var values = y.ToArray();
            var line = PlotlyTrace("scatter");
            line.Set("name", name);
            line.Set("x", t);
            line.Set("y", values.Select(v => (object?)v).ToArray());
            line.Set("yaxis", axis);
            line.Set("mode", "lines");
            line.Set("line", Dyn(("color", color), ("width", 2), ("dash", dash), ("shape", "hv")));
            line.Set("hovertext", samples.Select((s, i) => $"{s.TimeMs:0.##} ms: {name} {values[i]:N0} {unit}").ToArray());
            line.Set("hoverinfo", "text");
            return line;
        }

        var traces = new List<JsonObject>
        {
            Line("peer's window (bytes it can take)", samples.Select(s => s.Info.PeerWindow), "#54A24B", "bytes", "y"),
            Line("in flight (unacked × MSS)", samples.Select(s => (long?)(s.Info.Unacked * s.Info.SendMss)), "#4C78A8", "bytes", "y"),
            Line("not sent yet (send buffer)", samples.Select(s => s.Info.NotSentBytes), "#F58518", "bytes", "y", "dot"),
            Line("congestion window (cwnd)", samples.Select(s => (long?)s.Info.CongestionWindow), "#B279A2", "segments", "y2"),
        };
        if (samples.Any(s => s.Info.SlowStartThreshold < InfiniteThreshold))
        {
            traces.Add(Line("slow-start threshold (ssthresh)", samples.Select(s => s.Info.SlowStartThreshold < InfiniteThreshold ? s.Info.SlowStartThreshold : (long?)null),
                "#9D755D", "segments", "y2", "dash"));
        }

        var retransmits = samples.Where((s, i) => i > 0 && s.Info.TotalRetransmits > samples[i - 1].Info.TotalRetransmits).ToArray();
        var marks = PlotlyTrace("scatter");
        marks.Set("name", "retransmission counter went up");
        marks.Set("x", retransmits.Select(s => s.TimeMs).ToArray());
        marks.Set("y", retransmits.Select(s => s.Info.CongestionWindow).ToArray());
        marks.Set("yaxis", "y2");
        marks.Set("mode", "markers");
        marks.Set("marker", Dyn(("color", "#E45756"), ("symbol", "x"), ("size", 11)));
        marks.Set("hovertext", retransmits.Select(s => $"{s.TimeMs:0.##} ms: {s.Info.TotalRetransmits} retransmitted in all, cwnd {s.Info.CongestionWindow}").ToArray());
        marks.Set("hoverinfo", "text");
        traces.Add(marks);

        var upper = Axis("bytes", toZero: true);
        upper.Set("domain", new[] { 0.45, 1.0 });
        var lower = Axis("segments", toZero: true);
        lower.Set("domain", new[] { 0.0, 0.35 });
        lower.Set("anchor", "x");
        var time = Axis("milliseconds since sampling began");
        time.Set("anchor", "y2");
        var layout = BaseLayout(title, time, upper, height: 560);
        layout.Set("yaxis2", lower);
        layout.Set("legend", Dyn(("orientation", "h"), ("y", -0.18)));
        layout.Set("margin", Dyn(("t", 60), ("b", 90)));
        return Chart(traces, layout);
    }
}
