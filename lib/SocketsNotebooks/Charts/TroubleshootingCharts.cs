using System.Text.Json.Nodes;
using SocketsNotebooks.Troubleshooting;
using static SocketsNotebooks.Charts.PlotlyParts;

namespace SocketsNotebooks.Charts;

/// <summary>
/// Charts for notebook 04: the buffers filling up under a reader that does not read, then draining; and a
/// packet capture's segments as a table.
/// </summary>
public static class TroubleshootingCharts
{
    /// <summary>
    /// Bytes each <c>send()</c> took (bars, left axis) and the running total (line, right axis). The total climbs,
    /// then goes flat once both kernels' buffers are full; the red marks are the calls that got WouldBlock.
    /// </summary>
    public static PlotlyFigure Sends(IReadOnlyList<SendAttempt> sends, string title = "Filling the buffers: bytes taken by each send()")
    {
        ArgumentNullException.ThrowIfNull(sends);
        var perSend = PlotlyTrace("bar");
        perSend.Set("name", "bytes taken by this send()");
        perSend.Set("x", sends.Select(s => s.Call).ToArray());
        perSend.Set("y", sends.Select(s => s.Accepted).ToArray());
        perSend.Set("hovertext", sends.Select(s => $"send #{s.Call}: {s.Accepted} of {s.Asked} bytes ({s.Result})").ToArray());
        perSend.Set("hoverinfo", "text");
        perSend.Set("marker", Dyn(("color", sends.Select(s => s.Result == "ok" ? "#4C78A8" : "#F58518").ToArray())));

        var total = PlotlyTrace("scatter");
        total.Set("name", "running total (bytes sitting in the buffers)");
        total.Set("x", sends.Select(s => s.Call).ToArray());
        total.Set("y", sends.Select(s => s.Total).ToArray());
        total.Set("yaxis", "y2");
        total.Set("mode", "lines");
        total.Set("line", Dyn(("color", "#54A24B"), ("width", 3)));
        total.Set("hovertext", sends.Select(s => $"after send #{s.Call}: {s.Total:N0} bytes accepted in all").ToArray());
        total.Set("hoverinfo", "text");

        var blocked = sends.Where(s => s.Result == "WouldBlock").ToArray();
        var wouldBlock = PlotlyTrace("scatter");
        wouldBlock.Set("name", "WouldBlock (0 bytes taken)");
        wouldBlock.Set("x", blocked.Select(s => s.Call).ToArray());
        wouldBlock.Set("y", blocked.Select(_ => 0).ToArray());
        wouldBlock.Set("mode", "markers");
        wouldBlock.Set("marker", Dyn(("color", "#E45756"), ("symbol", "x"), ("size", 10)));
        wouldBlock.Set("hovertext", blocked.Select(s => $"send #{s.Call}: WouldBlock, buffers full at {s.Total:N0} bytes").ToArray());
        wouldBlock.Set("hoverinfo", "text");

        var layout = WithLegendBelow(BaseLayout(title, Axis("send() call"), Axis("bytes taken by one send()", toZero: true),
            height: 450));
        var totalAxis = Axis("bytes accepted in all", toZero: true);
        totalAxis.Set("overlaying", "y");
        totalAxis.Set("side", "right");
        layout.Set("yaxis2", totalAxis);
        return Chart([perSend, total, wouldBlock], layout);
    }

    /// <summary>
    /// The drain after the server starts reading, in two panels on one time axis. Above, in MB: the
    /// client's Send-Q falling to zero while the bytes the server has read climb to the total that was
    /// stuck. Below, on a scale of its own (a few hundred KB at most), the server's Recv-Q: drawn on the
    /// upper panel's scale it would be a line flat on zero.
    /// </summary>
    public static PlotlyFigure Drain(IReadOnlyList<QueueSample> samples, string title = "Draining: the server reads, the queues empty")
    {
        ArgumentNullException.ThrowIfNull(samples);
        var x = samples.Select(s => s.TimeMs).ToArray();
        var recvQ = Line("server Recv-Q (arrived, not read by the program yet)", x, samples.Select(s => (long)s.ServerRecvQ), "#4C78A8",
            samples.Select(s => $"{s.TimeMs:0.#} ms: server Recv-Q {s.ServerRecvQ:N0} bytes"));
        recvQ.Set("yaxis", "y2");
        var traces = new[]
        {
            Line("client Send-Q (in its send buffer: mostly never sent yet, waiting for the window)", x,
                samples.Select(s => (long)s.ClientSendQ), "#F58518",
                samples.Select(s => $"{s.TimeMs:0.#} ms: client Send-Q {s.ClientSendQ:N0} bytes")),
            Line("bytes the server has read", x, samples.Select(s => s.ServerBytesRead), "#54A24B",
                samples.Select(s => $"{s.TimeMs:0.#} ms: server has read {s.ServerBytesRead:N0} bytes")),
            recvQ,
        };
        var upper = Axis("bytes", toZero: true);
        upper.Set("domain", new[] { 0.4, 1.0 });
        var lower = Axis("server Recv-Q (bytes)", toZero: true);
        lower.Set("domain", new[] { 0.0, 0.28 });
        lower.Set("anchor", "x");
        // The time axis belongs under the lower panel, at the bottom of the chart.
        var time = Axis("milliseconds since the server started reading");
        time.Set("anchor", "y2");
        var layout = WithLegendBelow(BaseLayout(title, time, upper, height: 560));
        layout.Set("yaxis2", lower);
        return Chart(traces, layout);
    }

    /// <summary>
    /// A capture's segments as a table, one row per segment in the order they were seen, tinted by direction.
    /// The side that sent the first SYN is called the client; sequence and acknowledgement numbers count from
    /// each side's SYN, as Wireshark shows them.
    /// </summary>
    public static PlotlyFigure Segments(IReadOnlyList<TcpSegment> segments, string title = "One echo exchange, segment by segment")
    {
        ArgumentNullException.ThrowIfNull(segments);
        string client = segments.FirstOrDefault(s => s.Flags == "SYN")?.Source ?? segments.FirstOrDefault()?.Source ?? "";
        bool FromClient(TcpSegment s) => s.Source == client;
        string[] header = ["#", "ms", "direction", "flags", "seq", "ack", "win", "len", "payload (Python repr)"];
        object[] columns =
        [
            segments.Select(s => s.No).ToArray(),
            segments.Select(s => s.TimeMs.ToString("0.000", System.Globalization.CultureInfo.InvariantCulture)).ToArray(),
            segments.Select(s => FromClient(s) ? "client → server" : "server → client").ToArray(),
            segments.Select(s => s.Flags).ToArray(),
            segments.Select(s => s.Seq).ToArray(),
            segments.Select(s => s.Ack).ToArray(),
            segments.Select(s => s.Window).ToArray(),
            segments.Select(s => s.Length).ToArray(),
            segments.Select(s => Escape(s.Length == 0 ? "" : s.Payload)).ToArray(),
        ];
        string[] tint = [.. segments.Select(s => FromClient(s) ? "#eef1ff" : "#e9f9f3")];
        var table = PlotlyTrace("table");
        table.Set("columnwidth", new[] { 25, 50, 100, 70, 40, 40, 60, 35, 150 });
        table.Set("header", Dyn(("values", header), ("align", "left"), ("fill", Dyn(("color", "#dde1e8")))));
        table.Set("cells", Dyn(("values", columns), ("align", "left"), ("height", 24),
            ("fill", Dyn(("color", Enumerable.Repeat(tint, header.Length).ToArray())))));
        return Chart([table], TableLayout(title, 110 + 25 * Math.Max(segments.Count, 1)));
    }

    private static JsonObject Line(string name, double[] x, IEnumerable<long> y, string color, IEnumerable<string> hover)
    {
        var line = PlotlyTrace("scatter");
        line.Set("name", name);
        line.Set("x", x);
        line.Set("y", y.ToArray());
        line.Set("mode", "lines+markers");
        line.Set("line", Dyn(("color", color)));
        line.Set("marker", Dyn(("size", 4)));
        line.Set("hovertext", hover.ToArray());
        line.Set("hoverinfo", "text");
        return line;
    }

    // Notebook 04's charts keep plotly's own top and bottom margins (100 and 80, not BaseLayout's 60) for
    // the legend, whose names are long, so it sits under the plot.
    private static JsonObject WithLegendBelow(JsonObject layout)
    {
        layout.Set("legend", Dyn(("orientation", "h"), ("y", -0.25)));
        layout.Set("margin", Dyn(("t", 100), ("b", 80)));
        return layout;
    }
}
