using System.Globalization;
using System.Text.Json.Nodes;
using SocketsNotebooks.MultiConn;
using SocketsNotebooks.Tracing;
using static SocketsNotebooks.Charts.PlotlyParts;

namespace SocketsNotebooks.Charts;

/// <summary>
/// Charts of notebook 02, many connections: how each connection's bytes were cut into <c>recv()</c>
/// calls, how one thread hops between connections, and how often a loop wakes up for nothing.
/// Built as plotly.js figures like <see cref="TraceCharts"/>; every chart has a title,
/// axis titles and hover text that says what one mark is.
/// </summary>
public static class MultiConnCharts
{
    /// <summary>
    /// One stacked bar per connection: each segment is one <c>recv()</c> that returned data, bottom
    /// to top in order. Every connection carried the same bytes, so the bars are equally tall; where
    /// the segments differ, TCP (here the relay) cut the same messages differently per connection.
    /// <paramref name="messageEnds"/> (e.g. 22 and 44 for the tutorial's two messages) draws a dashed
    /// line where each message ends, so a segment crossing a line is one <c>recv()</c> holding parts of two messages.
    /// </summary>
    public static PlotlyFigure RecvPieces(IEnumerable<TraceEvent> recvs, string title, IReadOnlyList<int>? messageEnds = null)
    {
        ArgumentNullException.ThrowIfNull(recvs);
        var byConn = recvs.Where(e => e.Kind == TraceKind.Recv && e.Moved > 0)
            .GroupBy(e => e.Conn).OrderBy(g => g.Key)
            .Select(g => (Conn: g.Key, Calls: g.ToArray())).ToArray();
        int deepest = byConn.Length == 0 ? 0 : byConn.Max(c => c.Calls.Length);
        var traces = new List<JsonObject>();
        for (int k = 0; k < deepest; k++)
        {
            var having = byConn.Where(c => c.Calls.Length > k).ToArray();
            var bar = PlotlyTrace("bar");
            bar.Set("name", $"recv #{k + 1}");
            bar.Set("x", having.Select(c => $"conn {c.Conn}").ToArray());
            bar.Set("y", having.Select(c => c.Calls[k].Moved).ToArray());
            bar.Set("text", having.Select(c => c.Calls[k].Moved.ToString(CultureInfo.InvariantCulture)).ToArray());
            bar.Set("textposition", "inside");
            // Upright or not at all: plotly would turn a number sideways to squeeze it into a thin segment.
            bar.Set("textangle", 0);
            bar.Set("hovertext", having.Select(c =>
                $"recv #{k + 1} on conn {c.Conn}: {c.Calls[k].Moved} of {c.Calls[k].Asked} bytes<br>{Escape(c.Calls[k].Preview)}").ToArray());
            bar.Set("hoverinfo", "text");
            bar.Set("marker", Dyn(("color", Colors[k % Colors.Length]), ("line", Dyn(("color", "white"), ("width", 1)))));
            traces.Add(bar);
        }
        if (messageEnds is { Count: > 0 } && byConn.Length > 0)
        {
            // Drawn as a scatter trace (not a layout shape) so it has a legend entry and hover text.
            var ends = PlotlyTrace("scatter");
            ends.Set("name", "end of a message");
            ends.Set("mode", "lines");
            var x = new List<object?>();
            var y = new List<object?>();
            foreach (int end in messageEnds)
            {
                x.AddRange([$"conn {byConn[0].Conn}", $"conn {byConn[^1].Conn}", null]);
                y.AddRange([end, end, null]);
            }
            ends.Set("x", x.ToArray());
            ends.Set("y", y.ToArray());
            ends.Set("line", Dyn(("color", "#333"), ("width", 1.5), ("dash", "dash")));
            ends.Set("hoverinfo", "skip");
            traces.Add(ends);
        }
        var layout = BaseLayout(title, Axis("connection", automargin: true, category: true),
            Axis("bytes received, one segment per recv() call", automargin: true), height: 400);
        layout.Set("barmode", "stack");
        // A segment too short for its number shows none (the hover still has it), instead of
        // numbers printed over each other.
        layout.Set("uniformtext", Dyn(("mode", "hide"), ("minsize", 10)));
        return Chart(traces, layout);
    }

    /// <summary>
    /// Every call the server's loop made, on a timeline with one lane per connection (in a lane,
    /// recvs just above the line, sends just below). The grey line joins the calls in the order they
    /// happened: it is the one loop thread moving from connection to connection. Pass the events of
    /// one side (usually <c>trace.Table(Side.Server)</c>).
    /// </summary>
    public static PlotlyFigure Interleaving(IEnumerable<TraceEvent> events, string title)
    {
        ArgumentNullException.ThrowIfNull(events);
        var calls = events.Where(e => e.Conn != 0 && e.Kind is TraceKind.Accept or TraceKind.Recv or TraceKind.Send or TraceKind.Close)
            .OrderBy(e => e.Seq).ToArray();
        double start = calls.Length == 0 ? 0 : calls[0].TimeMs;
        var lanes = calls.Select(e => e.Conn).Distinct().Order().ToArray();
        // The top lane gets the highest value, so conn 1 is drawn on top.
        var laneY = lanes.Select((conn, i) => (conn, y: lanes.Length - 1 - i)).ToDictionary(p => p.conn, p => (double)p.y);
        // An echo's send follows its recv within microseconds: drawn on one line, the send would
        // sit under the recv. So within its lane a recv sits a little above the line, a send a
        // little below, accepts and closes on it.
        double Y(TraceEvent e) => laneY[e.Conn] + e.Kind switch { TraceKind.Recv => 0.18, TraceKind.Send => -0.18, _ => 0 };

        var traces = new List<JsonObject>();

        var path = PlotlyTrace("scatter");
        path.Set("name", "the loop thread, call after call");
        path.Set("mode", "lines");
        path.Set("x", calls.Select(e => Math.Round(e.TimeMs - start, 3)).ToArray());
        path.Set("y", calls.Select(Y).ToArray());
        path.Set("line", Dyn(("color", "rgba(120,120,120,0.45)"), ("width", 1), ("shape", "hv")));
        path.Set("hoverinfo", "skip");
        traces.Add(path);

        foreach (var (kind, symbol, color, size) in new[]
        {
            (TraceKind.Accept, "diamond", "#636efa", 10),
            (TraceKind.Recv, "circle", "#00cc96", 11),
            (TraceKind.Send, "triangle-up", "#ffa15a", 11),
            (TraceKind.Close, "x", "#ef553b", 10),
        })
        {
            var picked = calls.Where(e => e.Kind == kind).ToArray();
            var marks = PlotlyTrace("scatter");
            marks.Set("name", kind.ToString().ToLowerInvariant() + "()");
            marks.Set("mode", "markers");
            marks.Set("x", picked.Select(e => Math.Round(e.TimeMs - start, 3)).ToArray());
            marks.Set("y", picked.Select(Y).ToArray());
            marks.Set("hovertext", picked.Select(e =>
                $"{e.TimeMs - start:0.###} ms: {kind.ToString().ToLowerInvariant()}() on conn {e.Conn}"
                + (kind is TraceKind.Recv or TraceKind.Send ? $", {e.Moved} bytes<br>{Escape(e.Preview)}" : e.Note.Length > 0 ? $"<br>{Escape(e.Note)}" : "")).ToArray());
            marks.Set("hoverinfo", "text");
            marks.Set("marker", Dyn(("symbol", symbol), ("color", color), ("size", size), ("line", Dyn(("color", "white"), ("width", 1)))));
            traces.Add(marks);
        }

        var yAxis = Axis("connection", automargin: true);
        yAxis.Set("tickvals", lanes.Select(c => laneY[c]).ToArray());
        yAxis.Set("ticktext", lanes.Select(Lane).ToArray());
        yAxis.Set("range", new[] { -0.6, lanes.Length - 0.4 });
        yAxis.Set("zeroline", false);
        var layout = BaseLayout(title, Axis("time since the first call (ms)", automargin: true), yAxis);
        layout.Set("height", Math.Max(320, 140 + 44 * lanes.Length));
        return Chart(traces, layout);
    }

    /// <summary>
    /// Wake-ups per second of each loop in each phase of a <see cref="WakeUpProbe"/>, on a log scale
    /// (the naive loop's numbers are thousands of times larger). Each bar is labelled with its rate.
    /// </summary>
    public static PlotlyFigure WakeUps(IEnumerable<WakeUpRate> rates, string title)
    {
        ArgumentNullException.ThrowIfNull(rates);
        var all = rates.ToArray();
        var traces = new List<JsonObject>();
        foreach (var (mode, i) in all.Select(r => r.Mode).Distinct().Select((m, i) => (m, i)))
        {
            var mine = all.Where(r => r.Mode == mode).ToArray();
            var bar = PlotlyTrace("bar");
            bar.Set("name", mode);
            bar.Set("x", mine.Select(r => r.Phase).ToArray());
            // A phase with no wake-up at all has no place on a log axis; it shows as a missing bar labelled 0.
            bar.Set("y", mine.Select(r => r.PerSecond > 0 ? (object)r.PerSecond : null!).ToArray());
            bar.Set("text", mine.Select(r => r.PerSecond.ToString("N0", CultureInfo.InvariantCulture) + "/s").ToArray());
            bar.Set("textposition", "outside");
            bar.Set("cliponaxis", false);
            bar.Set("hovertext", mine.Select(r =>
                $"{mode}, {r.Phase}: {r.WakeUps:N0} wake-ups in {r.Seconds:0.00} s ({r.PerSecond:N0}/s), {r.IdleWakeUps:N0} of them with nothing to do").ToArray());
            bar.Set("hoverinfo", "text");
            bar.Set("marker", Dyn(("color", i == 0 ? "#ef553b" : i == 1 ? "#00cc96" : "#636efa")));
            traces.Add(bar);
        }
        // Ticks at powers of ten only: 10, 100, 1000...
        var yAxis = Axis("Select() wake-ups per second (log scale)", automargin: true, dtick: 1);
        yAxis.Set("type", "log");
        var layout = BaseLayout(title, Axis("what the server was doing", automargin: true, category: true), yAxis, height: 400);
        layout.Set("barmode", "group");
        return Chart(traces, layout);
    }

    /// <summary>
    /// The server's connections as a table: bytes and calls each way, when each opened and closed (ms
    /// on the loop's clock) and why it closed.
    /// </summary>
    public static PlotlyFigure Connections(IEnumerable<ConnectionStats> connections, string title)
    {
        ArgumentNullException.ThrowIfNull(connections);
        var rows = connections.ToArray();
        string[] header = ["conn", "peer", "bytes in", "bytes out", "recv() calls", "send() calls", "opened (ms)", "closed (ms)", "close reason"];
        object[][] columns =
        [
            rows.Select(r => (object)r.Conn).ToArray(),
            rows.Select(r => (object)r.Peer).ToArray(),
            rows.Select(r => (object)r.BytesIn).ToArray(),
            rows.Select(r => (object)r.BytesOut).ToArray(),
            rows.Select(r => (object)r.Recvs).ToArray(),
            rows.Select(r => (object)r.Sends).ToArray(),
            rows.Select(r => (object)r.OpenedMs.ToString("0.0", CultureInfo.InvariantCulture)).ToArray(),
            rows.Select(r => (object)(r.ClosedMs?.ToString("0.0", CultureInfo.InvariantCulture) ?? "open")).ToArray(),
            rows.Select(r => (object)r.CloseReason.ToString()).ToArray(),
        ];
        var table = PlotlyTrace("table");
        table.Set("header", Dyn(("values", header), ("align", "left"), ("fill", Dyn(("color", "#dde1e8")))));
        table.Set("cells", Dyn(("values", columns), ("align", "left"), ("height", 24)));
        return Chart([table], TableLayout(title, Math.Min(600, 120 + 26 * Math.Max(rows.Length, 1))));
    }

    private static string Lane(int conn) => $"conn {conn}";
}
