using Plotly.NET;
using SocketsNotebooks.Charts;
using SocketsNotebooks.MultiConn;
using SocketsNotebooks.Tracing;
using Trace = SocketsNotebooks.Tracing.Trace;

namespace SocketsNotebooks.Tests.MultiConn;

public sealed class MultiConnChartsTests
{
    private static Trace SampleTrace()
    {
        var trace = new Trace();
        trace.Record(1, Side.Server, TraceKind.Accept, 0, 0, note: "from 127.0.0.1:5000");
        trace.Record(2, Side.Server, TraceKind.Accept, 0, 0, note: "from 127.0.0.1:5001");
        trace.Record(1, Side.Server, TraceKind.Recv, 1024, "Message 1 "u8);
        trace.Record(2, Side.Server, TraceKind.Recv, 1024, "Message 1 from"u8);
        trace.Record(1, Side.Server, TraceKind.Recv, 1024, "from client."u8);
        trace.Record(1, Side.Server, TraceKind.Send, 22, "Message 1 from client."u8);
        trace.Record(1, Side.Server, TraceKind.Close, 0, 0, note: "PeerClosed");
        return trace;
    }

    [Fact]
    public void RecvPieces_TwoConnections_OneSeriesPerRecvIndexWithHover()
    {
        string html = GenericChart.toChartHTML(MultiConnCharts.RecvPieces(SampleTrace().Recvs(Side.Server), "pieces title"));

        Assert.Contains("pieces title", html, StringComparison.Ordinal);
        Assert.Contains("recv #2", html, StringComparison.Ordinal);
        Assert.Contains("recv #1 on conn 2: 14 of 1024 bytes", html, StringComparison.Ordinal);
        Assert.DoesNotContain("recv #3", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Interleaving_ServerEvents_LanesPerConnectionAndThreadPath()
    {
        string html = GenericChart.toChartHTML(MultiConnCharts.Interleaving(SampleTrace().Table(Side.Server), "one thread"));

        Assert.Contains("one thread", html, StringComparison.Ordinal);
        Assert.Contains("the loop thread, call after call", html, StringComparison.Ordinal);
        Assert.Contains("conn 2", html, StringComparison.Ordinal);
        Assert.Contains("time since the first call (ms)", html, StringComparison.Ordinal);
    }

    [Fact]
    public void WakeUps_TwoModes_LogAxisAndLabels()
    {
        var rates = new[]
        {
            new WakeUpRate("naive", "idle connections open", 0.3, 30_000, 29_990),
            new WakeUpRate("write only when needed", "idle connections open", 0.3, 3, 3),
        };

        string html = GenericChart.toChartHTML(MultiConnCharts.WakeUps(rates, "wake-ups"));

        Assert.Contains("\"type\":\"log\"", html, StringComparison.Ordinal);
        Assert.Contains("100,000/s", html, StringComparison.Ordinal);
        Assert.Contains("10/s", html, StringComparison.Ordinal);
    }
}
