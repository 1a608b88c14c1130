using System.Text.Json;
using SocketsNotebooks.Charts;
using SocketsNotebooks.Echo;
using SocketsNotebooks.Network;
using SocketsNotebooks.Tracing;
using Trace = SocketsNotebooks.Tracing.Trace;

namespace SocketsNotebooks.Tests.Charts;

public sealed class TraceChartsTests
{
    private static Trace TwoConnections()
    {
        var trace = new Trace();
        trace.Record(1, Side.Server, TraceKind.Accept, 0, 0);
        trace.Record(1, Side.Server, TraceKind.Recv, 1024, "Hello"u8);
        trace.Record(2, Side.Server, TraceKind.Recv, 1024, ", wor"u8);
        trace.Record(1, Side.Server, TraceKind.Recv, 1024, "ld"u8);
        trace.Record(1, Side.Client, TraceKind.Send, 12, "Hello, world"u8);
        trace.Record(2, Side.Server, TraceKind.Recv, 1024, 0);
        return trace;
    }

    private static JsonElement Json(PlotlyFigure chart) => FigureJson.Json(chart);

    private static string[] Strings(JsonElement array) => array.EnumerateArray().Select(e => e.GetString()!).ToArray();

    [Fact]
    public void RecvSizes_OneBarPerRecvCall_OneSeriesPerConnection()
    {
        var trace = TwoConnections();
        var data = Json(TraceCharts.RecvSizes(trace.Recvs(), "recv sizes"))
            .GetProperty("data").EnumerateArray().ToArray();

        Assert.Equal(trace.Recvs().Count, data.Sum(d => d.GetProperty("x").GetArrayLength()));
        Assert.Equal(["conn 1", "conn 2"], data.Select(d => d.GetProperty("name").GetString()));
        Assert.All(data, d => Assert.Equal("bar", d.GetProperty("type").GetString()));
        Assert.Equal([1, 3], data[0].GetProperty("x").EnumerateArray().Select(x => x.GetInt32()));
        Assert.Equal([5, 2], data[0].GetProperty("y").EnumerateArray().Select(y => y.GetInt32()));
    }

    [Fact]
    public void RecvSizes_HoverText_SaysCallConnAndBytesThenPreview()
    {
        var data = Json(TraceCharts.RecvSizes(TwoConnections().Recvs(), "recv sizes")).GetProperty("data");

        var conn1 = Strings(data[0].GetProperty("hovertext"));
        Assert.Equal("recv #1 on conn 1: 5 of 1024 bytes<br>b'Hello'", conn1[0]);
        Assert.Equal("recv #3 on conn 1: 2 of 1024 bytes<br>b'ld'", conn1[1]);
        var conn2 = Strings(data[1].GetProperty("hovertext"));
        Assert.Equal("recv #4 on conn 2: 0 of 1024 bytes (FIN: the peer closed)", conn2[1]);
        Assert.Equal("FIN", Strings(data[1].GetProperty("text"))[1]);
    }

    [Fact]
    public void RecvHover_PreviewWithHtml_IsEscaped()
    {
        var recv = new TraceEvent(1, 0, 7, Side.Server, TraceKind.Recv, 16, 3, "b'<b>'", "");
        Assert.Equal("recv #2 on conn 7: 3 of 16 bytes<br>b'&lt;b&gt;'", TraceCharts.RecvHover(2, recv));
    }

    [Fact]
    public void RecvSizes_OnlyRecvEvents_OthersIgnored()
    {
        var trace = TwoConnections();
        var data = Json(TraceCharts.RecvSizes(trace.Events, "recv sizes")).GetProperty("data");
        Assert.Equal(4, data.EnumerateArray().Sum(d => d.GetProperty("x").GetArrayLength()));
    }

    [Fact]
    public void SendSizes_GreyAskedBarsAndTakenBarsPerCall()
    {
        var trace = new Trace();
        trace.Record(3, Side.Client, TraceKind.Send, 1000, 80);
        trace.Record(3, Side.Client, TraceKind.Send, 920, 920);
        var data = Json(TraceCharts.SendSizes(trace.Sends(), "short send")).GetProperty("data");

        Assert.Equal([1000, 920], data[0].GetProperty("y").EnumerateArray().Select(y => y.GetInt32()));
        Assert.Equal([80, 920], data[1].GetProperty("y").EnumerateArray().Select(y => y.GetInt32()));
        Assert.Equal("send #1 on conn 3: took 80 of 1000 bytes", Strings(data[1].GetProperty("hovertext"))[0]);
    }

    [Fact]
    public void Timeline_LanesClientOnTopThenRelayLegsThenServer()
    {
        var trace = TwoConnections();
        trace.Record(1, Side.RelayToServer, TraceKind.Send, 5, 5);
        trace.Record(1, Side.Relay, TraceKind.Recv, 1024, 5);
        var layout = Json(TraceCharts.Timeline(trace.Events, "timeline")).GetProperty("layout");

        // Each lane is a number on the y axis, named by its tick; the highest number is drawn on top.
        var yAxis = layout.GetProperty("yaxis");
        var names = Strings(yAxis.GetProperty("ticktext"));
        var values = yAxis.GetProperty("tickvals").EnumerateArray().Select(v => v.GetDouble()).ToArray();
        var bottomUp = names.Zip(values).OrderBy(p => p.Second).Select(p => p.First);
        Assert.Equal(["server conn 2", "server conn 1", "relay → server conn 1", "relay ← client conn 1", "client conn 1"], bottomUp);
    }

    [Fact]
    public void Timeline_EchoThroughRelay_OneLanePerRelayLeg()
    {
        // Notebook 01 (c): client, relay, echo server in one trace; the listeners left out as the notebook does.
        var trace = new Trace();
        var echo = EchoServer.Start(trace, $"{nameof(TraceChartsTests)}-echo-{Guid.NewGuid():N}");
        var relay = Relay.Start(echo.EndPoint, Pieces.Fixed(4), trace, name: $"{nameof(TraceChartsTests)}-relay-{Guid.NewGuid():N}");
        try
        {
            EchoClient.Exchange(relay.EndPoint, "Hello, world!"u8.ToArray(), trace);
            int conn = trace.Events.Single(e => e.Side == Side.Client && e.Kind == TraceKind.Connect).Conn;
            var figure = Json(TraceCharts.Timeline(trace.Events.Where(e => e.Conn != 0), "through the relay"));

            var yAxis = figure.GetProperty("layout").GetProperty("yaxis");
            var names = Strings(yAxis.GetProperty("ticktext"));
            var values = yAxis.GetProperty("tickvals").EnumerateArray().Select(v => v.GetDouble()).ToArray();
            var topDown = names.Zip(values).OrderByDescending(p => p.Second).Select(p => p.First);
            Assert.Equal([$"client conn {conn}", $"relay ← client conn {conn}", $"relay → server conn {conn}", $"server conn {conn}"], topDown);
            // The relay's pieces towards the server are drawn, and named, on the leg that sent them.
            var sends = figure.GetProperty("data")[1];
            Assert.Contains(Strings(sends.GetProperty("hovertext")), h => h.Contains($"relay → server conn {conn}: send(): took 4 of 4 bytes", StringComparison.Ordinal));
        }
        finally
        {
            relay.Stop();
            echo.Stop();
        }
    }

    [Fact]
    public void Timeline_EveryEventIsOneMarker_TimeFromFirstEvent()
    {
        var trace = TwoConnections();
        var data = Json(TraceCharts.Timeline(trace.Events, "timeline")).GetProperty("data").EnumerateArray().ToArray();

        Assert.Equal(trace.Events.Count, data.Sum(d => d.GetProperty("x").GetArrayLength()));
        Assert.Equal(["recv()", "send()", "other calls"], data.Select(d => d.GetProperty("name").GetString()));
        Assert.Equal(0, data.SelectMany(d => d.GetProperty("x").EnumerateArray()).Min(x => x.GetDouble()));
    }

    [Fact]
    public void RecvSizes_RecvsFillTheirBuffer_DashedBufferLineNamedInLegend()
    {
        var trace = new Trace();
        trace.Record(1, Side.Server, TraceKind.Recv, 1024, 1024);
        trace.Record(1, Side.Server, TraceKind.Recv, 1024, 300);
        var data = Json(TraceCharts.RecvSizes(trace.Recvs(), "large")).GetProperty("data").EnumerateArray().ToArray();

        var line = Assert.Single(data, d => d.GetProperty("type").GetString() == "scatter");
        Assert.Equal("buffer size (1,024 bytes)", line.GetProperty("name").GetString());
        Assert.All(line.GetProperty("y").EnumerateArray(), y => Assert.Equal(1024, y.GetInt32()));
        Assert.Equal(2, data.Where(d => d.GetProperty("type").GetString() == "bar").Sum(d => d.GetProperty("x").GetArrayLength()));
    }

    [Fact]
    public void RecvSizes_SmallRecvs_NoBufferLine()
    {
        var data = Json(TraceCharts.RecvSizes(TwoConnections().Recvs(), "small")).GetProperty("data");
        Assert.DoesNotContain(data.EnumerateArray(), d => d.GetProperty("type").GetString() == "scatter");
    }

    [Fact]
    public void Table_OneRowPerEvent_ColumnsInOrder()
    {
        var trace = TwoConnections();
        var table = Json(TraceCharts.Table(trace.Events, "calls")).GetProperty("data")[0];

        Assert.Equal("table", table.GetProperty("type").GetString());
        Assert.Equal("#", Strings(table.GetProperty("header").GetProperty("values"))[0]);
        var columns = table.GetProperty("cells").GetProperty("values");
        Assert.All(columns.EnumerateArray(), c => Assert.Equal(trace.Events.Count, c.GetArrayLength()));
        Assert.Equal("b'Hello'", columns[7][1].GetString());
        Assert.Equal("recv", columns[4][1].GetString());
    }

    [Fact]
    public void Timeline_HoverText_SaysTimeSideConnCallAndBytes()
    {
        var trace = new Trace();
        var recv = trace.Record(4, Side.Server, TraceKind.Recv, 1024, "Hello"u8);
        var data = Json(TraceCharts.Timeline(trace.Events, "timeline")).GetProperty("data");

        string hover = Strings(data[0].GetProperty("hovertext"))[0];
        Assert.Equal(FormattableString.Invariant($"{recv.TimeMs:0.###} ms, server conn 4: recv(): 5 of 1024 bytes<br>b'Hello'"), hover);
    }

    private static TraceEvent At(double timeMs, Side side, TraceKind kind, int moved) =>
        new(0, timeMs, 3, side, kind, 1024, moved, "", "");

    [Fact]
    public void Timeline_ThreeSendsAtOneMoment_StackedApartInTheirLane()
    {
        // Notebook 01 (c): the client's three sends within microseconds, then the echo 30 ms later.
        TraceEvent[] events =
        [
            At(0.00, Side.Client, TraceKind.Send, 4),
            At(0.01, Side.Client, TraceKind.Send, 4),
            At(0.02, Side.Client, TraceKind.Send, 5),
            At(30.0, Side.Client, TraceKind.Recv, 13),
        ];
        var data = Json(TraceCharts.Timeline(events, "timeline")).GetProperty("data");

        double[] sendY = [.. data[1].GetProperty("y").EnumerateArray().Select(y => y.GetDouble())];
        Assert.Equal(3, sendY.Distinct().Count());
        // Still within the lane: lanes are 1 apart.
        Assert.All(sendY, y => Assert.InRange(y, -0.45, 0.45));
        // Each keeps its own label, since they are no longer on top of each other.
        Assert.Equal(["4", "4", "5"], Strings(data[1].GetProperty("text")));
        Assert.Equal(0, data[0].GetProperty("y")[0].GetDouble());
    }

    [Fact]
    public void Timeline_SendRightAfterRecvInOneLane_BothVisibleOnDifferentLevels()
    {
        TraceEvent[] events =
        [
            At(5.0, Side.Server, TraceKind.Recv, 2),
            At(5.02, Side.Server, TraceKind.Send, 2),
            At(20.0, Side.Server, TraceKind.Recv, 0),
        ];
        var data = Json(TraceCharts.Timeline(events, "timeline")).GetProperty("data");

        Assert.NotEqual(data[0].GetProperty("y")[0].GetDouble(), data[1].GetProperty("y")[0].GetDouble());
    }

    [Fact]
    public void Timeline_LabelsOnOneLevel_KeepClearOfEachOther()
    {
        // Marks far enough apart to share a level, but too close for two labels side by side.
        TraceEvent[] events =
        [
            At(0, Side.Relay, TraceKind.Send, 13),
            At(100.0, Side.Relay, TraceKind.Recv, 4),
            At(108.0, Side.Relay, TraceKind.Recv, 4),
            At(200.0, Side.Relay, TraceKind.Recv, 0),
        ];
        var data = Json(TraceCharts.Timeline(events, "timeline")).GetProperty("data");

        Assert.Equal(["4", "", "FIN"], Strings(data[0].GetProperty("text")));
        // Every mark is still drawn, and its hover text still tells its bytes.
        Assert.Equal(3, data[0].GetProperty("x").GetArrayLength());
        Assert.Contains("recv(): 4 of 1024 bytes", Strings(data[0].GetProperty("hovertext"))[1]);
    }

    [Fact]
    public void RecvSizes_TwoCalls_AxisEndsAtTheLastCallNoEmptySlots()
    {
        var trace = new Trace();
        trace.Record(1, Side.Server, TraceKind.Recv, 1024, 12);
        trace.Record(1, Side.Server, TraceKind.Recv, 1024, 0);
        var layout = Json(TraceCharts.RecvSizes(trace.Recvs(), "one message")).GetProperty("layout");

        var range = layout.GetProperty("xaxis").GetProperty("range").EnumerateArray().Select(r => r.GetDouble()).ToArray();
        Assert.Equal([0.4, 2.6], range);
    }

    [Fact]
    public void RecvSizes_OneConnectionNoBufferLine_NoLegend()
    {
        var trace = new Trace();
        trace.Record(1, Side.Server, TraceKind.Recv, 1024, 12);
        var layout = Json(TraceCharts.RecvSizes(trace.Recvs(), "one message")).GetProperty("layout");

        Assert.False(layout.GetProperty("showlegend").GetBoolean());
        Assert.True(Json(TraceCharts.RecvSizes(TwoConnections().Recvs(), "two")).GetProperty("layout").GetProperty("showlegend").GetBoolean());
    }

    [Fact]
    public void RecvSizes_BufferLine_EndsAtTheLastCall()
    {
        var trace = new Trace();
        trace.Record(1, Side.Server, TraceKind.Recv, 1024, 1024);
        trace.Record(1, Side.Server, TraceKind.Recv, 1024, 0);
        var line = Json(TraceCharts.RecvSizes(trace.Recvs(), "large")).GetProperty("data").EnumerateArray()
            .Single(d => d.GetProperty("type").GetString() == "scatter");

        Assert.Equal([0.5, 2.5], line.GetProperty("x").EnumerateArray().Select(x => x.GetDouble()));
    }

    [Fact]
    public void SendSizes_MillionGivenFewTaken_LogAxisAndTakenBarsLabelled()
    {
        var trace = new Trace();
        trace.Record(3, Side.Client, TraceKind.Send, 1_000_000, 80_357);
        trace.Record(3, Side.Client, TraceKind.Send, 919_643, 47_616);
        var chart = Json(TraceCharts.SendSizes(trace.Sends(), "short sends"));

        Assert.Equal("log", chart.GetProperty("layout").GetProperty("yaxis").GetProperty("type").GetString());
        Assert.Equal(["80.4k", "47.6k"], Strings(chart.GetProperty("data")[1].GetProperty("text")));
    }

    public static TheoryData<string> ChartNames => ["recv", "send", "timeline"];

    [Theory]
    [MemberData(nameof(ChartNames))]
    public void EveryChart_HasTitleAndBothAxisTitles(string which)
    {
        var trace = TwoConnections();
        var chart = which switch
        {
            "recv" => TraceCharts.RecvSizes(trace.Recvs(), "the title"),
            "send" => TraceCharts.SendSizes(trace.Sends(), "the title"),
            _ => TraceCharts.Timeline(trace.Events, "the title"),
        };
        var layout = Json(chart).GetProperty("layout");

        Assert.Equal("the title", layout.GetProperty("title").GetProperty("text").GetString());
        Assert.False(string.IsNullOrWhiteSpace(layout.GetProperty("xaxis").GetProperty("title").GetProperty("text").GetString()));
        Assert.False(string.IsNullOrWhiteSpace(layout.GetProperty("yaxis").GetProperty("title").GetProperty("text").GetString()));
    }

    [Theory]
    [InlineData("recv")]
    [InlineData("send")]
    [InlineData("timeline")]
    [InlineData("table")]
    public void EveryChart_Layout_TitleAtTheLeftAndFullWidth(string which)
    {
        var trace = TwoConnections();
        var chart = which switch
        {
            "recv" => TraceCharts.RecvSizes(trace.Recvs(), "the title"),
            "send" => TraceCharts.SendSizes(trace.Sends(), "the title"),
            "timeline" => TraceCharts.Timeline(trace.Events, "the title"),
            _ => TraceCharts.Table(trace.Events, "the title"),
        };
        var layout = Json(chart).GetProperty("layout");

        // Left, clear of plotly's toolbar; no fixed width or template, so it fills the notebook.
        Assert.Equal(0.01, layout.GetProperty("title").GetProperty("x").GetDouble());
        Assert.Equal("left", layout.GetProperty("title").GetProperty("xanchor").GetString());
        Assert.False(layout.TryGetProperty("width", out _));
        Assert.False(layout.TryGetProperty("template", out _));
    }

    [Fact]
    public void EveryChart_NoEvents_StillDrawsWithTitles()
    {
        var layout = Json(TraceCharts.RecvSizes([], "nothing yet")).GetProperty("layout");
        Assert.Equal("nothing yet", layout.GetProperty("title").GetProperty("text").GetString());
        Assert.Equal("nothing yet", Json(TraceCharts.Timeline([], "nothing yet")).GetProperty("layout").GetProperty("title").GetProperty("text").GetString());
    }
}
