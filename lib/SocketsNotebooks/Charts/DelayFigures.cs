using SocketsNotebooks.Inside;
using static SocketsNotebooks.Charts.PlotlyParts;

namespace SocketsNotebooks.Charts;

/// <summary>The two figures of <see cref="DelayDemo"/>'s run (where the kernel has netem).</summary>
internal static class DelayFigures
{
    public static PlotlyFigure RequestTimes(DelayRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        var dots = PlotlyTrace("scatter");
        dots.Set("name", "one request and its reply");
        dots.Set("mode", "markers");
        dots.Set("x", run.Requests.Select(r => r.RoundTripMs).ToArray());
        dots.Set("y", run.Requests.Select(r => r.RequestMs).ToArray());
        dots.Set("marker", Dyn(("color", "#4C78A8"), ("size", 8)));
        dots.Set("hovertext", run.Requests.Select(r => $"netem delay {r.DelayMs} ms each way: RTT {r.RoundTripMs:0.##} ms, request {r.RequestMs:0.##} ms").ToArray());
        dots.Set("hoverinfo", "text");
        double top = run.Requests.Select(r => Math.Max(r.RoundTripMs, r.RequestMs)).DefaultIfEmpty(1).Max();
        var same = PlotlyTrace("scatter");
        same.Set("name", "request time = one round trip");
        same.Set("mode", "lines");
        same.Set("x", new[] { 0, top });
        same.Set("y", new[] { 0, top });
        same.Set("line", Dyn(("color", "#999"), ("dash", "dot")));
        return Chart([dots, same], BaseLayout(
            $"Request/response time against the round trip ({run.Reason})", Axis("round-trip time, TCP_INFO (ms)", toZero: true),
            Axis("request until reply read (ms)", toZero: true)));
    }

    public static PlotlyFigure Throughput(DelayRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        var points = run.Throughput;
        var measured = PlotlyTrace("scatter");
        measured.Set("name", "measured");
        measured.Set("mode", "lines+markers");
        measured.Set("x", points.Select(p => p.ReceiveBuffer / 1024.0).ToArray());
        measured.Set("y", points.Select(p => Math.Round(p.BytesPerSecond / 1e6, 3)).ToArray());
        measured.Set("hovertext", points.Select(p => $"SO_RCVBUF {p.ReceiveBuffer / 1024} KiB: {p.BytesPerSecond / 1e6:0.##} MB/s, RTT {p.RoundTripMs:0.#} ms").ToArray());
        measured.Set("hoverinfo", "text");
        var limit = PlotlyTrace("scatter");
        limit.Set("name", "one receive buffer per round trip (bandwidth-delay product)");
        limit.Set("mode", "lines");
        limit.Set("x", points.Select(p => p.ReceiveBuffer / 1024.0).ToArray());
        limit.Set("y", points.Select(p => Math.Round(p.WindowPerRoundTrip / 1e6, 3)).ToArray());
        limit.Set("line", Dyn(("color", "#999"), ("dash", "dot")));
        var x = Axis("receive buffer asked for (KiB, log scale)");
        x.Set("type", "log");
        var layout = BaseLayout($"Throughput against receive buffer at a delay of {DelayDemo.Delay.TotalMilliseconds} ms each way",
            x, Axis("MB per second", toZero: true));
        layout.Set("legend", Dyn(("orientation", "h"), ("y", -0.3)));
        return Chart([measured, limit], layout);
    }
}
