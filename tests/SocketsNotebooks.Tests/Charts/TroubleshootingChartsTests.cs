using System.Text.Json;
using SocketsNotebooks.Charts;
using SocketsNotebooks.Troubleshooting;

namespace SocketsNotebooks.Tests.Charts;

public sealed class TroubleshootingChartsTests
{
    [Fact]
    public void Sends_FillWithWouldBlocks_BarsTotalLineAndWouldBlockMarks()
    {
        SendAttempt[] sends =
        [
            new(1, 100, 100, 100, "ok"),
            new(2, 100, 40, 140, "partial"),
            new(3, 100, 0, 140, "WouldBlock"),
        ];

        var chart = TroubleshootingCharts.Sends(sends);
        string[] texts = FigureJson.Strings(chart);

        Assert.Equal(3, chart.TraceCount);
        Assert.True(chart.Layout.ContainsKey("yaxis2"));
        Assert.Contains(texts, t => t.Contains("send #2: 40 of 100 bytes (partial)", StringComparison.Ordinal));
        Assert.Contains(texts, t => t.Contains("send #3: WouldBlock", StringComparison.Ordinal));
        Assert.Contains(texts, t => t.Contains("Filling the buffers", StringComparison.Ordinal));
    }

    [Fact]
    public void Drain_Samples_ThreeLinesWithHoverText()
    {
        QueueSample[] samples = [new(0, 300, 200, 0), new(5, 100, 0, 400), new(10, 0, 0, 500)];

        var chart = TroubleshootingCharts.Drain(samples);
        string[] texts = FigureJson.Strings(chart);

        Assert.Equal(3, chart.TraceCount);
        Assert.Contains(texts, t => t.Contains("5 ms: server Recv-Q 100 bytes", StringComparison.Ordinal));
        Assert.Contains(texts, t => t.Contains("milliseconds since the server started reading", StringComparison.Ordinal));
    }

    [Fact]
    public void Drain_RecvQ_OnAnAxisOfItsOwnNotFlatOnTheSendQsScale()
    {
        QueueSample[] samples = [new(0, 130_000, 4_100_000, 0), new(5, 90_000, 3_000_000, 1_100_000)];

        var json = FigureJson.Json(TroubleshootingCharts.Drain(samples));
        var recvQ = json.GetProperty("data").EnumerateArray().Single(d => d.GetProperty("name").GetString()!.StartsWith("server Recv-Q", StringComparison.Ordinal));
        var layout = json.GetProperty("layout");

        Assert.Equal("y2", recvQ.GetProperty("yaxis").GetString());
        // Two panels, one above the other, on one time axis.
        Assert.True(layout.GetProperty("yaxis2").GetProperty("domain")[1].GetDouble() < layout.GetProperty("yaxis").GetProperty("domain")[0].GetDouble());
        Assert.Equal("y2", layout.GetProperty("xaxis").GetProperty("anchor").GetString());
    }

    [Fact]
    public void Drain_SendQLegend_SaysMostWasNeverSent()
    {
        QueueSample[] samples = [new(0, 100, 0, 0)];

        Assert.Contains(FigureJson.Strings(TroubleshootingCharts.Drain(samples)), t => t.Contains("never sent", StringComparison.Ordinal));
    }

    [Fact]
    public void BothCharts_Layout_LikeEveryOtherChartWithLegendBelow()
    {
        SendAttempt[] sends = [new(1, 100, 100, 100, "ok"), new(2, 100, 0, 100, "WouldBlock")];
        QueueSample[] samples = [new(0, 100, 0, 0), new(5, 0, 0, 100)];

        foreach (var chart in new[] { TroubleshootingCharts.Sends(sends), TroubleshootingCharts.Drain(samples) })
        {
            var layout = FigureJson.Json(chart).GetProperty("layout");

            // The course's one look: title at the left, no template or fixed width; the long
            // legend names go under the plot.
            Assert.Equal("left", layout.GetProperty("title").GetProperty("xanchor").GetString());
            Assert.False(layout.TryGetProperty("template", out _));
            Assert.False(layout.TryGetProperty("width", out _));
            Assert.Equal("h", layout.GetProperty("legend").GetProperty("orientation").GetString());
            Assert.Equal("tozero", layout.GetProperty("yaxis").GetProperty("rangemode").GetString());
        }
    }
}
