using SocketsNotebooks.Charts;
using SocketsNotebooks.Inside;

namespace SocketsNotebooks.Tests.Charts;

public sealed class InsideChartsTests
{
    [Fact]
    public async Task Ladder_EchoRecording_OneArrowPerSegmentTwoLinesAndTheSourceInTheTitle()
    {
        var run = await LadderDemos.EchoAsync(live: false);

        var json = FigureJson.Json(InsideCharts.Ladder(run));
        var layout = json.GetProperty("layout");
        var arrows = layout.GetProperty("annotations").EnumerateArray().Where(a => a.GetProperty("showarrow").GetBoolean()).ToArray();

        Assert.Equal(run.Segments.Count, arrows.Length);
        Assert.Equal(2, layout.GetProperty("shapes").GetArrayLength());
        Assert.Contains("recorded on 2026-12-07", layout.GetProperty("title").GetProperty("text").GetString(), StringComparison.Ordinal);
        // Time runs down: the y axis is reversed.
        var range = layout.GetProperty("yaxis").GetProperty("range");
        Assert.True(range[0].GetDouble() > range[1].GetDouble());
        // The first arrow goes from the client (x 0) to the server (x 1), and ends lower than it starts.
        Assert.Equal((0.0, 1.0), (arrows[0].GetProperty("ax").GetDouble(), arrows[0].GetProperty("x").GetDouble()));
        Assert.True(arrows[0].GetProperty("y").GetDouble() > arrows[0].GetProperty("ay").GetDouble());
    }

    [Fact]
    public async Task Ladder_ZeroWindow_LabelsCarryFlagsSeqAckLenWinAndTheNotes()
    {
        var texts = FigureJson.Strings(InsideCharts.Ladder(await LadderDemos.ZeroWindowAsync(live: false)));

        Assert.Contains("SYN  seq 0  ack 0  len 0  win 65,495", texts);
        Assert.Contains(texts, t => t.Contains("win 0  ·  zero window", StringComparison.Ordinal));
        Assert.Contains(texts, t => t.Contains("window probe", StringComparison.Ordinal));
        Assert.Contains(texts, t => t.Contains("window update", StringComparison.Ordinal));
        // The pauses of about 200 ms get rows of their own.
        Assert.Contains(texts, t => t.StartsWith("⋮  212 ms pass", StringComparison.Ordinal));
    }

    [Fact]
    public void Ladder_LossExcerpt_SaysHowManySegmentsWereLeftOut()
    {
        var texts = FigureJson.Strings(InsideCharts.Ladder(LossDemo.Recorded()));

        Assert.Contains(texts, t => t.Contains("segments left out", StringComparison.Ordinal));
        Assert.Contains(texts, t => t.Contains("Around the first retransmission", StringComparison.Ordinal));
    }

    [Fact]
    public void TcpInfo_LossSamples_TwoPanelsAndARedMarkPerRetransmission()
    {
        var run = LossDemo.Recorded();

        var json = FigureJson.Json(InsideCharts.TcpInfo(run.Samples));
        var marks = json.GetProperty("data").EnumerateArray().Single(t => t.GetProperty("name").GetString() == "retransmission counter went up");

        Assert.True(json.GetProperty("layout").TryGetProperty("yaxis2", out _));
        int increases = run.Samples.Zip(run.Samples.Skip(1)).Count(p => p.Second.Info.TotalRetransmits > p.First.Info.TotalRetransmits);
        Assert.Equal(increases, marks.GetProperty("x").GetArrayLength());
        Assert.Contains(FigureJson.Strings(InsideCharts.TcpInfo(run.Samples)), t => t == "slow-start threshold (ssthresh)");
    }

    [Fact]
    public void Nagle_TwoSettings_DotsAndMediansOnALogAxis()
    {
        var run = new NagleRun([new(false, 1, 44), new(false, 2, 45), new(true, 1, 0.03), new(true, 2, 0.04)], 200, 100);

        var chart = InsideCharts.Nagle(run);
        var json = FigureJson.Json(chart);

        Assert.Equal(4, chart.TraceCount);
        Assert.Equal("log", json.GetProperty("layout").GetProperty("xaxis").GetProperty("type").GetString());
        Assert.Contains("median 44.5 ms", FigureJson.Strings(chart));
    }

    [Fact]
    public void TcpInfoTable_OneRowPerField()
    {
        var info = LossDemo.Recorded().Final!;

        var cells = FigureJson.Json(InsideCharts.TcpInfoTable(info)).GetProperty("data")[0].GetProperty("cells").GetProperty("values");

        Assert.Equal(info.Fields().Count, cells[0].GetArrayLength());
        Assert.Equal("tcpi_state", cells[0][0].GetString());
    }

    [Fact]
    public void DelayFigures_AMeasuredRun_PointsAndTheBandwidthDelayLimit()
    {
        var run = new DelayRun(true, "netem delay", [new(20, 40.5, 41.2)], [new(65536, 1_600_000, 1.0, 40.5)]);

        var throughput = FigureJson.Json(InsideCharts.Throughput(run));
        var limit = throughput.GetProperty("data")[1].GetProperty("y")[0].GetDouble();

        Assert.Equal(Math.Round(65536 / 0.0405 / 1e6, 3), limit);
        Assert.Equal(2, InsideCharts.RequestTimes(run).TraceCount);
    }
}
