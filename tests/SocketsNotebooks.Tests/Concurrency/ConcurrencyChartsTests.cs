using SocketsNotebooks.Charts;
using SocketsNotebooks.Concurrency;
using SocketsNotebooks.Tests.Charts;

namespace SocketsNotebooks.Tests.Concurrency;

public sealed class ConcurrencyChartsTests
{
    private static EchoLoadResult Run(string model, int connections, int[] perConnection, double? p99 = 900) =>
        new(model, connections, connections, 1024, 0.25, perConnection.Sum(), p99 is null ? null : 100, p99, 0, 0, perConnection);

    [Fact]
    public void RequestsPerConnection_BlockingRun_SaysWhoWaitedTheWholeRun()
    {
        var chart = ConcurrencyCharts.RequestsPerConnection([Run("blocking, one at a time", 3, [5000, 0, 0])], "who got answered");
        string[] texts = FigureJson.Strings(chart);

        Assert.Contains("who got answered", texts);
        Assert.Contains(texts, t => t.Contains("connection 1 got 5,000 echoes back", StringComparison.Ordinal));
        Assert.Contains(texts, t => t.Contains("connection 3 got nothing back", StringComparison.Ordinal));
        Assert.Equal("#7f7f7f", (string?)chart.Data[0]!["marker"]!["color"]);
    }

    [Fact]
    public void SelectCost_TwoSelectors_LogLogWithOneLineEach()
    {
        var chart = ConcurrencyCharts.SelectCost(
        [
            new SelectCostSample("Selector (Socket.Select, poll)", 1, 1000, 1.2),
            new SelectCostSample("Selector (Socket.Select, poll)", 1000, 100, 300),
            new SelectCostSample("EpollSelector (epoll_wait)", 1, 1000, 1.1),
            new SelectCostSample("EpollSelector (epoll_wait)", 1000, 1000, 1.5),
        ], "cost of one call");

        Assert.Equal(2, chart.TraceCount);
        Assert.Equal("log", (string?)chart.Layout["xaxis"]!["type"]);
        Assert.Equal("log", (string?)chart.Layout["yaxis"]!["type"]);
        Assert.Contains(FigureJson.Strings(chart), t => t.Contains("300 µs per call with 1,000 socket(s) registered", StringComparison.Ordinal));
    }

    [Fact]
    public void ThreadsAndMemory_OneLinePerModel_LegendGivesThePerConnectionCost()
    {
        ConnectionCostSample[] samples =
        [
            new("thread per connection", 0, 10, 0, 0, 0, 0, 0),
            new("thread per connection", 1000, 1010, 1000, 24 << 20, 8L << 30, 3 << 20, 0.9),
            new("async/await", 0, 10, 0, 0, 0, 0, 0),
            new("async/await", 1000, 13, 3, 3 << 20, 0, 3 << 20, 0.1),
        ];

        string[] threads = FigureJson.Strings(ConcurrencyCharts.Threads(samples, "threads"));
        string[] memory = FigureJson.Strings(ConcurrencyCharts.Memory(samples, "memory"));

        Assert.Contains(threads, t => t.StartsWith("thread per connection: 1,000 threads for 1,000 connections", StringComparison.Ordinal));
        Assert.Contains(memory, t => t.StartsWith("thread per connection: ≈ 24.6 KB per connection", StringComparison.Ordinal));
        Assert.Contains(memory, t => t.StartsWith("async/await: ≈ 3.1 KB per connection", StringComparison.Ordinal));
    }

    [Fact]
    public void ThroughputAndLatency_StarvedRun_HollowAndAtLeastTheRunLength()
    {
        EchoLoadResult[] results =
        [
            Run("blocking, one at a time", 1, [10_000], p99: 50),
            Run("blocking, one at a time", 10, [10_000, 0, 0, 0, 0, 0, 0, 0, 0, 0], p99: 50),
            Run("async/await", 1, [9000]),
            Run("async/await", 10, [900, 900, 900, 900, 900, 900, 900, 900, 900, 900]),
        ];

        var throughput = ConcurrencyCharts.Throughput(results, "req/s");
        var latency = ConcurrencyCharts.Latency(results, "p99");

        Assert.Equal("log", (string?)latency.Layout["yaxis"]!["type"]);
        var blocking = latency.Data[0]!;
        // 0.25 s run: the nine that got nothing waited at least 250 ms.
        Assert.Equal([0.05, 250], blocking["y"]!.AsArray().Select(v => (double)v!));
        Assert.Equal("white", (string?)blocking["marker"]!["color"]![1]);
        Assert.Contains(FigureJson.Strings(throughput), t => t.Contains("only 1 of 10 connections answered", StringComparison.Ordinal));
    }
}
