using System.Text.Json;
using SocketsNotebooks.Charts;
using SocketsNotebooks.PubSub;
using SocketsNotebooks.Tests.Charts;
using SocketsNotebooks.Tracing;

namespace SocketsNotebooks.Tests.PubSub;

public sealed class PubSubChartsTests
{
    private static readonly SubscriberStats s_fast = new(3, "127.0.0.1:1", ["ticks"], 300, 0, 0, 5, null, "", 0, null,
        [new(100, 0, 0), new(110, 100, 2), new(120, 300, 0)]);

    private static readonly SubscriberStats s_slow = new(4, "127.0.0.1:2", ["ticks"], 80, 200, 25_000, 200, CloseReason.SlowSubscriber,
        "200 messages waiting: MaxQueuedMessages = 200 reached", 0, 118, [new(100, 0, 0), new(105, 80, 20), new(118, 80, 200)]);

    private static JsonElement Json(PlotlyFigure chart) => FigureJson.Json(chart);

    [Fact]
    public void Delivered_OneLinePerSubscriberAndACutOffMark()
    {
        var json = Json(PubSubCharts.Delivered([s_fast, s_slow], names: new Dictionary<int, string> { [4] = "slow" }));
        var data = json.GetProperty("data").EnumerateArray().ToArray();

        Assert.Equal(["conn 3: ticks*", "slow (conn 4: ticks*)", "cut off by the broker"], data.Select(d => d.GetProperty("name").GetString()));
        Assert.Equal([0, 10, 20], data[0].GetProperty("x").EnumerateArray().Select(x => x.GetDouble()));
        Assert.Equal([0, 100, 300], data[0].GetProperty("y").EnumerateArray().Select(y => y.GetInt64()));
        Assert.Equal([18.0], data[2].GetProperty("x").EnumerateArray().Select(x => x.GetDouble()));
        Assert.Contains("MaxQueuedMessages = 200", data[2].GetProperty("hovertext")[0].GetString(), StringComparison.Ordinal);
        var layout = json.GetProperty("layout");
        Assert.Equal("Messages delivered to each subscriber", layout.GetProperty("title").GetProperty("text").GetString());
        Assert.Equal("messages delivered", layout.GetProperty("yaxis").GetProperty("title").GetProperty("text").GetString());
        Assert.Equal("time since the first subscription (ms)", layout.GetProperty("xaxis").GetProperty("title").GetProperty("text").GetString());
    }

    [Fact]
    public void Queues_LimitLineAndQueuedCounts()
    {
        var json = Json(PubSubCharts.Queues([s_fast, s_slow], limit: 200));
        var data = json.GetProperty("data").EnumerateArray().ToArray();

        Assert.Equal([0, 20, 200], data[1].GetProperty("y").EnumerateArray().Select(y => y.GetInt32()));
        Assert.Equal(200, json.GetProperty("layout").GetProperty("shapes")[0].GetProperty("y0").GetInt32());
        Assert.Equal("messages queued in the broker", json.GetProperty("layout").GetProperty("yaxis").GetProperty("title").GetProperty("text").GetString());
    }

    [Fact]
    public void Delivered_ReadersWithIdenticalLines_EachDrawnThinnerThanTheOneBefore()
    {
        var twin = s_fast with { Conn = 5 };
        var third = s_fast with { Conn = 6 };
        var data = Json(PubSubCharts.Delivered([s_fast, twin, third, s_slow])).GetProperty("data").EnumerateArray().ToArray();

        double[] widths = [.. data.Take(3).Select(d => d.GetProperty("line").GetProperty("width").GetDouble())];
        Assert.Equal(widths.OrderDescending(), widths);
        Assert.Equal(3, widths.Distinct().Count());
    }

    [Fact]
    public void Delivered_LastStepAtTheLastSample_AxisRunsPastIt()
    {
        var range = Json(PubSubCharts.Delivered([s_fast, s_slow])).GetProperty("layout").GetProperty("xaxis").GetProperty("range");

        // The last sample is 20 ms after the first: the climb to 300 there must not sit on the plot's edge.
        Assert.Equal(0, range[0].GetDouble());
        Assert.True(range[1].GetDouble() > 20);
    }
}
