using SocketsNotebooks.Inside;

namespace SocketsNotebooks.Tests.Inside;

public sealed class NagleExperimentTests
{
    [Fact]
    public void Run_TwoSmallSendsThenARead_NoDelayOffWaitsForTheDelayedAck()
    {
        var run = NagleExperiment.Run(requests: 12);

        // Linux's delayed-ACK timer never fires sooner than 40 ms, so most requests with Nagle on wait that long
        // whatever the machine's load; the first ones of a connection may escape (quick ACK mode).
        Assert.True(run.Median(noDelay: false) >= 30, run.ToString());
        Assert.True(run.Median(noDelay: true) < run.Median(noDelay: false) / 4, run.ToString());
        Assert.Equal(12, run.Requests(noDelay: true));
    }

    [Fact]
    public void Median_EvenAndOddCounts_MiddleValues()
    {
        var run = new NagleRun(
        [
            new(false, 1, 1), new(false, 2, 44), new(false, 3, 40), new(false, 4, 48),
            new(true, 1, 0.1), new(true, 2, 0.3), new(true, 3, 0.2),
        ], 200, 100);

        Assert.Equal(42, run.Median(noDelay: false));
        Assert.Equal(0.2, run.Median(noDelay: true));
        Assert.Equal(3, run.SlowerThan(noDelay: false, 30));
    }
}
