using System.Globalization;
using System.Text.Json.Nodes;
using SocketsNotebooks.Tracing;
using static SocketsNotebooks.Charts.PlotlyParts;

namespace SocketsNotebooks.Charts;

/// <summary>
/// Charts of what the sockets did, drawn from trace events: how many bytes each <c>recv()</c> or
/// <c>send()</c> moved, and when each call happened on each side. Each chart is a <see cref="PlotlyFigure"/>:
/// plotly.js's own JSON (a trace per series, a layout), built with the small helpers of PlotlyParts.
/// Every chart has a title, axis titles and hover text that says what one mark is.
/// </summary>
public static class TraceCharts
{
    // Above this many marks, the numbers printed on each bar or marker turn into clutter.
    private const int MaxLabelledMarks = 40;

    // Timeline labels sit in lanes of their own and stay readable a little longer.
    private const int MaxLabelledTimelineMarks = 80;

    // The share of the time axis one character of a timeline label takes, roughly (a digit is about
    // 7 px of the 600-700 px a plot gets in a notebook), so labels can leave each other room.
    private const double TimelineLabelCharShare = 0.012;

    /// <summary>
    /// One bar per <c>recv()</c> call, in the order they happened: x is the call number, y the bytes
    /// it returned, one colour per connection. A 0-byte bar (labelled FIN) is the peer closing.
    /// When the calls come close to their buffer size, a dashed line marks it.
    /// </summary>
    public static PlotlyFigure RecvSizes(IEnumerable<TraceEvent> recvs, string title)
    {
        ArgumentNullException.ThrowIfNull(recvs);
        var calls = recvs.Where(e => e.Kind == TraceKind.Recv).ToArray();
        var numbered = calls.Select((e, i) => (Number: i + 1, Event: e)).ToArray();
        bool manySides = calls.Select(e => e.Side).Distinct().Count() > 1;
        bool labelled = calls.Length <= MaxLabelledMarks;

        var traces = numbered.GroupBy(c => (c.Event.Conn, c.Event.Side)).OrderBy(g => g.Key.Conn).ThenBy(g => g.Key.Side).Select(group =>
        {
            var bar = PlotlyTrace("bar");
            bar.Set("name", SeriesName(group.Key.Conn, group.Key.Side, manySides));
            bar.Set("x", group.Select(c => c.Number).ToArray());
            bar.Set("y", group.Select(c => c.Event.Moved).ToArray());
            bar.Set("hovertext", group.Select(c => RecvHover(c.Number, c.Event)).ToArray());
            bar.Set("hoverinfo", "text");
            bar.Set("marker", Marker(ConnColor(group.Key.Conn)));
            if (labelled)
            {
                bar.Set("text", group.Select(c => c.Event.Moved == 0 ? "FIN" : c.Event.Moved.ToString(CultureInfo.InvariantCulture)).ToArray());
                bar.Set("textposition", "outside");
                bar.Set("cliponaxis", false);
            }
            return bar;
        }).ToList();

        var layout = BaseLayout(title, Axis("recv() call, in order", zeroline: true), Axis("bytes returned by the call", zeroline: true));
        int buffer = calls.Length == 0 ? 0 : calls.Max(e => e.Asked);
        int most = calls.Length == 0 ? 0 : calls.Max(e => e.Moved);
        if (buffer > 0 && most * 4 >= buffer)
        {
            // A dashed line across the chart, named in the legend (a label on the chart would sit on the bars).
            var line = PlotlyTrace("scatter");
            line.Set("name", string.Create(CultureInfo.InvariantCulture, $"buffer size ({buffer:N0} bytes)"));
            line.Set("mode", "lines");
            line.Set("x", new[] { 0.5, Math.Max(calls.Length, 6) + 0.5 });
            line.Set("y", new[] { buffer, buffer });
            line.Set("line", Dyn(("color", "#666"), ("width", 1.5), ("dash", "dash")));
            line.Set("hoverinfo", "skip");
            traces.Add(line);
        }
        // Few bars stay readable as bars, not as slivers.
        layout.Set("bargap", 0.2);
        if (calls.Length > 0)
        {
            layout.Set("xaxis", Axis("recv() call, in order", zeroline: true, range: [0.4, Math.Max(calls.Length, 6) + 0.6], dtick: calls.Length <= 20 ? 1 : null));
            // Whole bytes only: a 3-byte chart should not tick at 0.5.
            layout.Set("yaxis", Axis("bytes returned by the call", zeroline: true, dtick: most <= 10 ? 1 : null));
        }
        return Chart(traces, layout);
    }

    /// <summary>
    /// One pair of bars per <c>send()</c> call: grey, the bytes the call was given; coloured, the
    /// bytes it really took. A coloured bar shorter than its grey one is a short send.
    /// </summary>
    public static PlotlyFigure SendSizes(IEnumerable<TraceEvent> sends, string title)
    {
        ArgumentNullException.ThrowIfNull(sends);
        var calls = sends.Where(e => e.Kind == TraceKind.Send).ToArray();
        var numbered = calls.Select((e, i) => (Number: i + 1, Event: e)).ToArray();
        bool manySides = calls.Select(e => e.Side).Distinct().Count() > 1;

        var asked = PlotlyTrace("bar");
        asked.Set("name", "bytes given to send()");
        asked.Set("x", numbered.Select(c => c.Number).ToArray());
        asked.Set("y", numbered.Select(c => c.Event.Asked).ToArray());
        asked.Set("hoverinfo", "skip");
        asked.Set("marker", Marker("rgba(150,150,150,0.35)"));
        List<JsonObject> traces = [asked];
        traces.AddRange(numbered.GroupBy(c => (c.Event.Conn, c.Event.Side)).OrderBy(g => g.Key.Conn).Select(group =>
        {
            var bar = PlotlyTrace("bar");
            bar.Set("name", $"taken: {SeriesName(group.Key.Conn, group.Key.Side, manySides)}");
            bar.Set("x", group.Select(c => c.Number).ToArray());
            bar.Set("y", group.Select(c => c.Event.Moved).ToArray());
            bar.Set("hovertext", group.Select(c => SendHover(c.Number, c.Event)).ToArray());
            bar.Set("hoverinfo", "text");
            bar.Set("marker", Marker(ConnColor(group.Key.Conn)));
            return bar;
        }));

        var layout = BaseLayout(title, Axis("send() call, in order", zeroline: true), Axis("bytes", zeroline: true));
        layout.Set("barmode", "overlay");
        return Chart(traces, layout);
    }

    /// <summary>
    /// When each call happened: time (ms) across, one lane per side and connection down
    /// (client on top, then relay, then server). Sends and receives are markers sized by the bytes
    /// they moved; connects, accepts, shutdowns and closes are small grey diamonds. A mark is
    /// labelled with its bytes (FIN for a 0-byte <c>recv()</c>) only where the label has room; a
    /// mark too close to the last labelled one in its lane keeps its detail in the hover text.
    /// </summary>
    public static PlotlyFigure Timeline(IEnumerable<TraceEvent> events, string title)
    {
        ArgumentNullException.ThrowIfNull(events);
        var all = events.ToArray();
        double start = all.Length == 0 ? 0 : all.Min(e => e.TimeMs);
        double span = all.Length == 0 ? 0 : all.Max(e => e.TimeMs) - start;
        var lanes = all.Select(e => (e.Side, e.Conn)).Distinct()
            .OrderBy(l => l.Side switch { Side.Client => 0, Side.Relay => 1, _ => 2 }).ThenBy(l => l.Conn)
            .Select(l => Lane(l.Side, l.Conn)).ToArray();
        int biggest = all.Where(IsData).Select(e => e.Moved).DefaultIfEmpty(1).Max();
        bool labelled = all.Count(IsData) <= MaxLabelledTimelineMarks;

        JsonObject Markers(string name, IEnumerable<TraceEvent> chosen, string symbol, string color, bool sized, string labelAt = "top center")
        {
            var picked = chosen.ToArray();
            var marks = PlotlyTrace("scatter");
            marks.Set("name", name);
            marks.Set("mode", sized && labelled ? "markers+text" : "markers");
            marks.Set("x", picked.Select(e => Math.Round(e.TimeMs - start, 3)).ToArray());
            marks.Set("y", picked.Select(e => Lane(e.Side, e.Conn)).ToArray());
            marks.Set("hovertext", picked.Select(TimelineHover).ToArray());
            marks.Set("hoverinfo", "text");
            var marker = Marker(color);
            marker.Set("symbol", symbol);
            marker.Set("size", sized
                ? picked.Select(e => Math.Round(8 + 18 * Math.Sqrt((double)e.Moved / Math.Max(1, biggest)), 1)).ToArray()
                : (object)9);
            marker.Set("line", Line("white", 1));
            marks.Set("marker", marker);
            if (sized && labelled)
            {
                marks.Set("text", TimelineLabels(picked, span));
                marks.Set("textposition", labelAt);
            }
            return marks;
        }

        // Drawn in this order, so a send stays visible on top of the recv it often coincides with;
        // sends label below, receives above, for the same reason.
        List<JsonObject> traces =
        [
            Markers("recv()", all.Where(e => e.Kind == TraceKind.Recv), "circle", "rgba(99,110,250,0.75)", sized: true),
            Markers("send()", all.Where(e => e.Kind == TraceKind.Send), "triangle-right", "#ef553b", sized: true, labelAt: "bottom center"),
            Markers("other calls", all.Where(e => !IsData(e)), "diamond", "#999999", sized: false),
        ];

        var yAxis = Axis("side and connection", zeroline: true, automargin: true, category: true);
        yAxis.Set("categoryorder", "array");
        // Plotly draws the first category at the bottom; reversed, the client lane is on top.
        yAxis.Set("categoryarray", lanes.Reverse().ToArray());
        var layout = BaseLayout(title, Axis("time since the first call (ms)", zeroline: true), yAxis);
        layout.Set("height", Math.Max(320, 140 + 60 * lanes.Length));
        return Chart(traces, layout);
    }

    /// <summary>
    /// The events as a table, one row per call, tinted by side (client, relay, server). A chart
    /// rather than a list of records, because notebook formatters show records as collapsed rows.
    /// </summary>
    public static PlotlyFigure Table(IEnumerable<TraceEvent> events, string title)
    {
        ArgumentNullException.ThrowIfNull(events);
        var rows = events.ToArray();
        string[] header = ["#", "ms", "side", "conn", "call", "asked", "moved", "bytes (Python repr)", "note"];
        object[] columns =
        [
            rows.Select(e => e.Seq).ToArray(),
            rows.Select(e => e.TimeMs.ToString("0.000", CultureInfo.InvariantCulture)).ToArray(),
            rows.Select(e => e.Side.ToString().ToLowerInvariant()).ToArray(),
            rows.Select(e => e.Conn).ToArray(),
            rows.Select(e => e.Kind.ToString().ToLowerInvariant()).ToArray(),
            rows.Select(e => e.Kind is TraceKind.Send or TraceKind.Recv ? e.Asked.ToString(CultureInfo.InvariantCulture) : "").ToArray(),
            rows.Select(e => e.Kind is TraceKind.Send or TraceKind.Recv ? e.Moved.ToString(CultureInfo.InvariantCulture) : "").ToArray(),
            rows.Select(e => Escape(e.Preview)).ToArray(),
            rows.Select(e => Escape(e.Note)).ToArray(),
        ];
        string[] tint = rows.Select(e => e.Side switch { Side.Client => "#eef1ff", Side.Relay => "#fff4e6", _ => "#e9f9f3" }).ToArray();

        var table = PlotlyTrace("table");
        table.Set("columnwidth", new[] { 30, 60, 50, 40, 60, 50, 50, 190, 190 });
        table.Set("header", Dyn(("values", header), ("align", "left"), ("fill", Dyn(("color", "#dde1e8"))),
            ("font", Dyn(("size", 13)))));
        table.Set("cells", Dyn(("values", columns), ("align", "left"), ("height", 24),
            ("fill", Dyn(("color", Enumerable.Repeat(tint, header.Length).ToArray()))), ("font", Dyn(("size", 12)))));

        return Chart([table], TableLayout(title, Math.Min(900, 120 + 25 * Math.Max(rows.Length, 1))));
    }

    /// <summary>The hover text of one <c>recv()</c> bar, e.g. <c>recv #7 on conn 2: 5 of 1024 bytes</c>.</summary>
    public static string RecvHover(int number, TraceEvent recv)
    {
        ArgumentNullException.ThrowIfNull(recv);
        string text = $"recv #{number} on conn {recv.Conn}: {recv.Moved} of {recv.Asked} bytes";
        if (recv.Moved == 0)
        {
            return text + " (FIN: the peer closed)";
        }
        return recv.Preview.Length == 0 ? text : $"{text}<br>{Escape(recv.Preview)}";
    }

    /// <summary>The hover text of one <c>send()</c> bar, e.g. <c>send #1 on conn 3: took 80357 of 1000000 bytes</c>.</summary>
    public static string SendHover(int number, TraceEvent send)
    {
        ArgumentNullException.ThrowIfNull(send);
        string text = $"send #{number} on conn {send.Conn}: took {send.Moved} of {send.Asked} bytes";
        return send.Preview.Length == 0 ? text : $"{text}<br>{Escape(send.Preview)}";
    }

    private static string TimelineHover(TraceEvent e)
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
            $"{e.TimeMs:0.###} ms, {e.Side.ToString().ToLowerInvariant()} conn {e.Conn}: {what}{(detail.Length > 0 ? "<br>" + detail : "")}");
    }

    // Through a relay, the relay's send on one leg and its recv or send on the other fall within a
    // fraction of a millisecond, as do the two FINs of one close: drawn side by side, their labels
    // print on top of each other ("2" over "2", "FIN" over "FIN"). So, lane by lane in time order,
    // a label is kept only if it clears the last one kept; the rest stay empty.
    private static string[] TimelineLabels(TraceEvent[] marks, double span)
    {
        var labels = new string[marks.Length];
        var lastKept = new Dictionary<string, (double TimeMs, int Length)>();
        foreach (int i in Enumerable.Range(0, marks.Length).OrderBy(i => marks[i].TimeMs))
        {
            var e = marks[i];
            string label = e.Moved == 0 ? "FIN" : e.Moved.ToString(CultureInfo.InvariantCulture);
            string lane = Lane(e.Side, e.Conn);
            if (lastKept.TryGetValue(lane, out var kept)
                && e.TimeMs - kept.TimeMs < span * TimelineLabelCharShare * ((kept.Length + label.Length) / 2.0 + 1))
            {
                labels[i] = "";
                continue;
            }
            labels[i] = label;
            lastKept[lane] = (e.TimeMs, label.Length);
        }
        return labels;
    }

    private static bool IsData(TraceEvent e) => e.Kind is TraceKind.Send or TraceKind.Recv;

    private static string Lane(Side side, int conn) =>
        conn == 0 ? $"{side.ToString().ToLowerInvariant()} (listener)" : $"{side.ToString().ToLowerInvariant()} conn {conn}";

    private static string SeriesName(int conn, Side side, bool withSide) =>
        withSide ? $"conn {conn} ({side.ToString().ToLowerInvariant()})" : $"conn {conn}";

    private static string ConnColor(int conn) => Colors[(conn % Colors.Length + Colors.Length) % Colors.Length];

    private static JsonObject Marker(string color) => Dyn(("color", color));

    private static JsonObject Line(string color, double width) => Dyn(("color", color), ("width", width));
}
