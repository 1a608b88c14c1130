using SocketsNotebooks.Concurrency;

namespace SocketsNotebooks.Cli.Tests.Concurrency;

public sealed class ConcurrencyBenchRowTests
{
    private static EchoLoadResult Result(int connections, long requests, int served) =>
        new("label", connections, connections, 1024, Seconds: 1, requests, P50Microseconds: 250, P99Microseconds: 1500, Failed: 0, Mismatches: 0,
            [.. Enumerable.Range(0, connections).Select(i => i < served ? 1 : 0)]);

    [Fact]
    public void From_TwoCounts_EachComparedWithTheFastestAtItsOwnCount()
    {
        var rows = ConcurrencyBenchRow.From(
        [
            (ConcurrencyModel.Select, Result(1, 20_000, 1)),
            (ConcurrencyModel.Async, Result(1, 40_000, 1)),
            (ConcurrencyModel.Blocking, Result(10, 30_000, 1)),
            (ConcurrencyModel.Async, Result(10, 10_000, 10)),
        ]);

        Assert.Equal(["select", "async", "blocking", "async"], rows.Select(r => r.Model));
        Assert.Equal([0.5, 1.0, 1.0, 1.0 / 3], rows.Select(r => r.VsFastest));
        Assert.Equal([1, 1, 1, 10], rows.Select(r => r.Served));
        Assert.Equal(0.25, rows[0].P50Ms);
        Assert.Equal(1.5, rows[0].P99Ms);
    }

    [Fact]
    public void From_NothingCameBack_RatioZeroAndNoLatency()
    {
        var nothing = new EchoLoadResult("label", 5, 5, 1024, 1, 0, null, null, 0, 0, [0, 0, 0, 0, 0]);

        var row = Assert.Single(ConcurrencyBenchRow.From([(ConcurrencyModel.Blocking, nothing)]));

        Assert.Equal(0, row.VsFastest);
        Assert.Null(row.P50Ms);
        Assert.Equal(0, row.Served);
    }
}
