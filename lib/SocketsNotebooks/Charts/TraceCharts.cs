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

    // Fewer bars than this are drawn slimmer than plotly's default, which would make them fill the chart.
    private const int FewBars = 6;

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
            line.Set("x", new[] { 0.5, calls.Length + 0.5 });
            line.Set("y", new[] { buffer, buffer });
            line.Set("line", Dyn(("color", "#666"), ("width", 1.5), ("dash", "dash")));
            line.Set("hoverinfo", "skip");
            traces.Add(line);
        }
        // Few bars stay readable as bars, not as slivers.
        layout.Set("bargap", 0.2);
        if (calls.Length is > 0 and < FewBars)
        {
            // The axis ends at the last call (an empty slot would read as a call that returned
            // nothing), so two bars would each fill a third of the chart: keep them slim instead.
            foreach (var bar in traces.Where(t => (string?)t["type"] == "bar"))
            {
                bar.Set("width", 0.5);
            }
        }
        // One connection says nothing a legend could add; the buffer line still gets its entry.
        layout.Set("showlegend", traces.Count > 1);
        if (calls.Length > 0)
        {
            layout.Set("xaxis", Axis("recv() call, in order", zeroline: true, range: [0.4, calls.Length + 0.6], dtick: calls.Length <= 20 ? 1 : null));
            // Whole bytes only: a 3-byte chart should not tick at 0.5.
            layout.Set("yaxis", Axis("bytes returned by the call", zeroline: true, dtick: most <= 10 ? 1 : null));
        }
        return Chart(traces, layout);
    }

    /// <summary>
    /// One pair of bars per <c>send()</c> call: grey, the bytes the call was given; coloured, the
    /// bytes it really took, labelled with that count. A coloured bar shorter than its grey one is a
    /// short send. The bytes axis is logarithmic: a call given a million bytes that took fifty
    /// thousand would otherwise be a sliver at the bottom of its grey bar.
    /// </summary>
    public static PlotlyFigure SendSizes(IEnumerable<TraceEvent> sends, string title)
    {
        ArgumentNullException.ThrowIfNull(sends);
        var calls = sends.Where(e => e.Kind == TraceKind.Send).ToArray();
        var numbered = calls.Select((e, i) => (Number: i + 1, Event: e)).ToArray();
        bool manySides = calls.Select(e => e.Side).Distinct().Count() > 1;
        bool labelled = calls.Length <= MaxLabelledMarks;

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
            if (labelled)
            {
                bar.Set("text", group.Select(c => Compact(c.Event.Moved)).ToArray());
                bar.Set("textposition", "inside");
                bar.Set("insidetextanchor", "end");
                bar.Set("textangle", -90);
            }
            return bar;
        }));

        // Ticks at powers of ten only: plotly's minor digits between them crowd the axis.
        var yAxis = Axis("bytes (log scale)", dtick: 1);
        yAxis.Set("type", "log");
        var layout = BaseLayout(title, Axis("send() call, in order", zeroline: true, dtick: calls.Length <= 20 ? 1 : null), yAxis);
        layout.Set("barmode", "overlay");
        return Chart(traces, layout);
    }

    /// <summary>
    /// When each call happened: time (ms) across, one lane per side and connection down
    /// (client on top, then relay, then server). Sends are triangles, receives circles, both sized by
    /// the bytes they moved; connects, accepts, shutdowns and closes are small grey diamonds. Marks
    /// that fall at nearly the same moment in one lane are stacked a little above and below the lane
    /// instead of on top of each other. A mark is labelled with its bytes (FIN for a 0-byte
    /// <c>recv()</c>) where the label has room; the hover text always has the detail.
    /// </summary>
    public static PlotlyFigure Timeline(IEnumerable<TraceEvent> events, string title)
    {
        ArgumentNullException.ThrowIfNull(events);
        return TimelineFigure.Build([.. events], title);
    }

    /// <summary>
    /// The events as a table, one row per call, tinted by side (client, relay, server). A chart
    /// rather than a list of records, because notebook formatters show records as collapsed rows.
    /// </summary>
    public static PlotlyFigure Table(IEnumerable<TraceEvent> events, string title)
    {
        ArgumentNullException.ThrowIfNull(events);
        return TraceTableFigure.Build([.. events], title);
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

    // 80357 as "80.4k", 1000000 as "1M": short enough to stand on end inside a slim bar.
    private static string Compact(int bytes) => bytes switch
    {
        >= 1_000_000 => (bytes / 1_000_000.0).ToString("0.##", CultureInfo.InvariantCulture) + "M",
        >= 1_000 => (bytes / 1_000.0).ToString("0.#", CultureInfo.InvariantCulture) + "k",
        _ => bytes.ToString(CultureInfo.InvariantCulture),
    };

    private static string SeriesName(int conn, Side side, bool withSide) =>
        withSide ? $"conn {conn} ({side.Label(conn)})" : $"conn {conn}";

    private static string ConnColor(int conn) => Colors[(conn % Colors.Length + Colors.Length) % Colors.Length];

    private static JsonObject Marker(string color) => Dyn(("color", color));
}
