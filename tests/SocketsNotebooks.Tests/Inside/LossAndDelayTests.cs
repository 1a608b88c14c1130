using SocketsNotebooks.Inside;

namespace SocketsNotebooks.Tests.Inside;

[Collection(InsideLabCollection.Name)]
public sealed class LossAndDelayTests
{
    [Fact]
    public void Recorded_LossRun_SevenRetransmissionsInTheCaptureAndInTcpInfo()
    {
        var run = LossDemo.Recorded();

        Assert.False(run.IsLive);
        Assert.Equal(7, run.Retransmissions);
        Assert.Equal(7L, run.Final!.TotalRetransmits);
        Assert.Equal(84, run.Samples.Count);
        Assert.Equal(1_048_576L, run.BytesSent);
        Assert.Equal(0.091, run.RecoveryMs);
        Assert.Equal("nftables: drop 1% of TCP segments (not SYNs) as they arrive", run.Impairment);
    }

    [Fact]
    public void Excerpt_LossRecording_FirstSendingAndRetransmissionWithTheAcksBetween()
    {
        var excerpt = LossDemo.Recorded().Excerpt();
        var notes = excerpt.Rungs.Select(r => r.Note).ToArray();

        Assert.Contains("not acknowledged: sent again as #63", notes);
        Assert.Contains("retransmission", notes);
        Assert.Contains("duplicate ACK", notes);
        Assert.True(excerpt.Rungs.Count < 25, $"{excerpt.Rungs.Count} rungs");
    }

    [SkippableFact]
    public async Task RunAsync_Live_RetransmissionsSeenAndTheNamespaceRemoved()
    {
        Privileges.RequireCapture();
        Privileges.RequireNamespaces();
        Privileges.RequireTool("nft", "nftables");
        string folder = Path.Combine(Path.GetTempPath(), $"sockets-loss-{Guid.NewGuid():N}");
        try
        {
            var run = await LossDemo.RunAsync(folder).WaitAsync(TimeSpan.FromSeconds(60));

            Assert.True(run.IsLive);
            Assert.True(run.Retransmissions >= 1, run.Excerpt().ToText());
            Assert.True(run.Final!.TotalRetransmits >= 1);
            Assert.True(run.BytesSent >= 1024 * 1024);
            string name = run.Source.Split(' ').Single(w => w.StartsWith("socknb-", StringComparison.Ordinal)).TrimEnd(',');
            Assert.False(File.Exists(Path.Combine("/run/netns", name)), $"{name} is still there");
            Assert.True(File.Exists(Path.Combine(folder, "loss-tcpinfo.csv")));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [SkippableFact]
    public async Task RunAsync_Delay_MeasuredWhereNetemIsElseTheReasonSaysWhatIsMissing()
    {
        Privileges.RequireLinux();

        var run = await DelayDemo.RunAsync().WaitAsync(TimeSpan.FromSeconds(60));

        if (run.Ran)
        {
            Assert.Equal(DelayDemo.Delays.Length * 10, run.Requests.Count);
            Assert.All(run.Requests.Where(r => r.DelayMs == 20), r => Assert.True(r.RequestMs >= 40, $"{r.RequestMs} ms at 20 ms each way"));
        }
        else
        {
            Assert.Empty(run.Requests);
            Assert.True(run.Reason.Contains("netem", StringComparison.Ordinal) || run.Reason.Contains("namespace", StringComparison.Ordinal), run.Reason);
        }
    }

    [SkippableFact]
    public async Task RunAsync_WithoutNetem_TheMeasurementsThemselvesRun()
    {
        Privileges.RequireNamespaces();

        var run = await DelayDemo.RunAsync(requireNetem: false, requests: 2, seconds: 0.1).WaitAsync(TimeSpan.FromSeconds(60));

        Assert.True(run.Ran, run.Reason);
        Assert.Equal(DelayDemo.Delays.Length * 2, run.Requests.Count);
        Assert.Equal(DelayDemo.ReceiveBuffers, run.Throughput.Select(p => p.ReceiveBuffer));
        Assert.All(run.Throughput, p => Assert.True(p.Bytes > 0 && p.RoundTripMs > 0, p.ToString()));
        Assert.DoesNotContain(InsideLab.Running, r => r.StartsWith(nameof(NetworkNamespace), StringComparison.Ordinal));
    }
}
