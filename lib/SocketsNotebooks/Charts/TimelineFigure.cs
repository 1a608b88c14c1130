using System.Globalization;
using System.Text.Json.Nodes;
using SocketsNotebooks.Tracing;
using static SocketsNotebooks.Charts.PlotlyParts;

namespace SocketsNotebooks.Charts;

/// <summary>
/// The figure behind <see cref="TraceCharts.Timeline"/>: every call on a time axis, one lane per side
/// and connection (the relay's two legs are two sides). Its own type because keeping marks apart takes more than the bar charts need.
/// </summary>
internal static class TimelineFigure
{
    // Above this many data marks, the numbers printed next to them turn into clutter.
    private const int MaxLabelledMarks = 80;

    // Two marks in one lane closer than this share of the time axis would be drawn on top of each
    // other (a marker is about 20 px of the 600-700 px a plot gets in a notebook): the later one
    // moves to another level of the lane.
    private const double MarkShare = 0.035;

    // Where a lane's levels sit, as offsets from the lane's line (lanes are 1 apart): the lane itself
    // first, then just above, just below, further above, further below.
    private static readonly double[] s_levels = [0, 0.22, -0.22, 0.4, -0.4];

    // The share of the time axis one character of a label takes, roughly (a digit is about 7 px),
    // and the room the marker itself takes before its label starts.
    private const double LabelCharShare = 0.012;
    private const double LabelMarkerShare = 0.02;

    private readonly record struct Placed(TraceEvent Event, double Y, string Label);

    public static PlotlyFigure Build(TraceEvent[] all, string title)
    {
        double start = all.Length == 0 ? 0 : all.Min(e => e.TimeMs);
        double span = all.Length == 0 ? 0 : all.Max(e => e.TimeMs) - start;
        string[] lanes = [.. all.Select(e => (e.Side, e.Conn)).Distinct()
            .OrderBy(l => l.Side.Order()).ThenBy(l => l.Conn)
            .Select(l => Lane(l.Side, l.Conn))];
        // The top lane gets the highest value, so the client is drawn on top.
        var laneY = lanes.Select((lane, i) => (lane, y: lanes.Length - 1 - i)).ToDictionary(p => p.lane, p => (double)p.y);
        var placed = Place(all, laneY, span, labelled: all.Count(IsData) <= MaxLabelledMarks);
        int biggest = all.Where(IsData).Select(e => e.Moved).DefaultIfEmpty(1).Max();

        JsonObject Markers(string name, Func<TraceEvent, bool> which, string symbol, string color, bool sized)
        {
            var picked = placed.Where(p => which(p.Event)).ToArray();
            var marks = PlotlyTrace("scatter");
            marks.Set("name", name);
            marks.Set("mode", sized ? "markers+text" : "markers");
            marks.Set("x", picked.Select(p => Math.Round(p.Event.TimeMs - start, 3)).ToArray());
            marks.Set("y", picked.Select(p => p.Y).ToArray());
            marks.Set("hovertext", picked.Select(p => Hover(p.Event)).ToArray());
            marks.Set("hoverinfo", "text");
            var marker = Dyn(("color", color), ("symbol", symbol), ("line", Dyn(("color", "white"), ("width", 1))));
            marker.Set("size", sized
                ? picked.Select(p => Math.Round(8 + 14 * Math.Sqrt((double)p.Event.Moved / Math.Max(1, biggest)), 1)).ToArray()
                : (object)9);
            marks.Set("marker", marker);
            if (sized)
            {
                marks.Set("text", picked.Select(p => p.Label).ToArray());
                marks.Set("textposition", "middle right");
                marks.Set("textfont", Dyn(("size", 11)));
            }
            return marks;
        }

        List<JsonObject> traces =
        [
            Markers("recv()", e => e.Kind == TraceKind.Recv, "circle", "#636efa", sized: true),
            Markers("send()", e => e.Kind == TraceKind.Send, "triangle-right", "#ef553b", sized: true),
            Markers("other calls", e => !IsData(e), "diamond", "#999999", sized: false),
        ];

        var yAxis = Axis("side and connection", automargin: true);
        yAxis.Set("tickvals", lanes.Select(l => laneY[l]).ToArray());
        yAxis.Set("ticktext", lanes);
        yAxis.Set("range", new[] { -0.6, lanes.Length - 0.4 });
        yAxis.Set("zeroline", false);
        var layout = BaseLayout(title, Axis("time since the first call (ms)", zeroline: true), yAxis);
        layout.Set("height", Math.Max(320, 140 + 70 * lanes.Length));
        return Chart(traces, layout);
    }

    // Lane by lane in time order, each mark takes the first level of its lane that is free at its
    // moment, so a send and the recv it coincides with (or three sends made back to back) sit one
    // above the other. A label is kept only if it clears the last label kept on the same level.
    private static Placed[] Place(TraceEvent[] all, Dictionary<string, double> laneY, double span, bool labelled)
    {
        double gap = span * MarkShare;
        var lastAt = new Dictionary<(string, int), double>();
        var lastLabel = new Dictionary<(string, int), (double TimeMs, int Length)>();
        var placed = new Placed[all.Length];
        foreach (int i in Enumerable.Range(0, all.Length).OrderBy(i => all[i].TimeMs).ThenBy(i => all[i].Seq))
        {
            var e = all[i];
            string lane = Lane(e.Side, e.Conn);
            int[] free = [.. Enumerable.Range(0, s_levels.Length)
                .Where(l => !lastAt.TryGetValue((lane, l), out double t) || e.TimeMs - t >= gap)];
            // Every level busy (a burst of calls): the one used longest ago.
            int level = free.Length > 0 ? free[0] : Enumerable.Range(0, s_levels.Length).MinBy(l => lastAt[(lane, l)]);
            lastAt[(lane, level)] = e.TimeMs;

            string label = !labelled || !IsData(e) ? "" : e.Moved == 0 ? "FIN" : e.Moved.ToString(CultureInfo.InvariantCulture);
            if (label.Length > 0 && lastLabel.TryGetValue((lane, level), out var kept)
                && e.TimeMs - kept.TimeMs < span * (LabelCharShare * (kept.Length + 1) + LabelMarkerShare))
            {
                label = "";
            }
            if (label.Length > 0)
            {
                lastLabel[(lane, level)] = (e.TimeMs, label.Length);
            }
            placed[i] = new Placed(e, laneY[lane] + s_levels[level], label);
        }
        return placed;
    }

    private static string Hover(TraceEvent e)
    {
        string what = e.Kind switch
        {
            TraceKind.Recv when e.Moved == 0 => $"recv(): 0 of {e.Asked} bytes (FIN)",
            TraceKind.Recv => $"recv(): {e.Moved} of {e.Asked} bytes",
            TraceKind.Send => $"send(): took {e.Moved} of {e.Asked} bytes",
            _ => e.Kind.ToString().ToLowerInvariant() + "()",
        };
        string detail = string.Join("<br>", new[] { e.Preview, e.Note }.Where(s => s.Length > 0).Select(Escape));
        return string.Create(CultureInfo.InvariantCulture,
            $"{e.TimeMs:0.###} ms, {e.Side.Label(e.Conn)} conn {e.Conn}: {what}{(detail.Length > 0 ? "<br>" + detail : "")}");
    }

    private static bool IsData(TraceEvent e) => e.Kind is TraceKind.Send or TraceKind.Recv;

    // The relay's two sockets get a lane each ("relay ← client conn 1", "relay → server conn 1"): the
    // trace tells them apart by side, so a piece can be followed from one leg to the other.
    private static string Lane(Side side, int conn) =>
        conn == 0 ? $"{side.Label(conn)} (listener)" : $"{side.Label(conn)} conn {conn}";
}
