using SocketsNotebooks.Charts;
using SocketsNotebooks.MultiConn;
using SocketsNotebooks.Tests.Charts;
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
        string[] texts = FigureJson.Strings(MultiConnCharts.RecvPieces(SampleTrace().Recvs(Side.Server), "pieces title"));

        Assert.Contains(texts, t => t.Contains("pieces title", StringComparison.Ordinal));
        Assert.Contains(texts, t => t.Contains("recv #2", StringComparison.Ordinal));
        Assert.Contains(texts, t => t.Contains("recv #1 on conn 2: 14 of 1024 bytes", StringComparison.Ordinal));
        Assert.DoesNotContain(texts, t => t.Contains("recv #3", StringComparison.Ordinal));
    }

    [Fact]
    public void Interleaving_ServerEvents_LanesPerConnectionAndThreadPath()
    {
        string[] texts = FigureJson.Strings(MultiConnCharts.Interleaving(SampleTrace().Table(Side.Server), "one thread"));

        Assert.Contains(texts, t => t.Contains("one thread", StringComparison.Ordinal));
        Assert.Contains(texts, t => t.Contains("the loop thread, call after call", StringComparison.Ordinal));
        Assert.Contains(texts, t => t.Contains("conn 2", StringComparison.Ordinal));
        Assert.Contains(texts, t => t.Contains("time since the first call (ms)", StringComparison.Ordinal));
    }

    [Fact]
    public void RecvPieces_SegmentTooShortForItsNumber_LabelHiddenNotOverprinted()
    {
        var layout = FigureJson.Json(MultiConnCharts.RecvPieces(SampleTrace().Recvs(Side.Server), "pieces")).GetProperty("layout");

        Assert.Equal("hide", layout.GetProperty("uniformtext").GetProperty("mode").GetString());
    }

    [Fact]
    public void Interleaving_SendRightAfterRecv_DrawnBelowTheRecvNotUnderIt()
    {
        var data = FigureJson.Json(MultiConnCharts.Interleaving(SampleTrace().Table(Side.Server), "one thread"))
            .GetProperty("data").EnumerateArray().ToArray();
        var recv = data.Single(d => d.GetProperty("name").GetString() == "recv()");
        var send = data.Single(d => d.GetProperty("name").GetString() == "send()");

        // conn 1 is the top lane (1); its recv sits above the lane's line, its send below.
        Assert.True(recv.GetProperty("y")[0].GetDouble() > 1);
        Assert.True(send.GetProperty("y")[0].GetDouble() < 1);
        Assert.True(send.GetProperty("marker").GetProperty("size").GetDouble() >= recv.GetProperty("marker").GetProperty("size").GetDouble());
    }

    [Fact]
    public void WakeUps_TwoModes_LogAxisAndLabels()
    {
        var rates = new[]
        {
            new WakeUpRate("naive", "idle connections open", 0.3, 30_000, 29_990),
            new WakeUpRate("write only when needed", "idle connections open", 0.3, 3, 3),
        };

        var chart = MultiConnCharts.WakeUps(rates, "wake-ups");
        string[] texts = FigureJson.Strings(chart);

        Assert.Equal("log", (string?)chart.Layout["yaxis"]!["type"]);
        Assert.Contains(texts, t => t.Contains("100,000/s", StringComparison.Ordinal));
        Assert.Contains(texts, t => t.Contains("10/s", StringComparison.Ordinal));
    }
}
