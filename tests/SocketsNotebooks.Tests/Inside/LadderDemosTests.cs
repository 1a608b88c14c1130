using SocketsNotebooks.Inside;

namespace SocketsNotebooks.Tests.Inside;

[Collection(InsideLabCollection.Name)]
public sealed class LadderDemosTests
{
    private static string Folder() => Path.Combine(Path.GetTempPath(), $"sockets-ladders-{Guid.NewGuid():N}");

    [Fact]
    public async Task EchoAsync_NotLive_TheRecordingWithItsDateKernelAndRemarks()
    {
        var run = await LadderDemos.EchoAsync(live: false);

        Assert.False(run.IsLive);
        Assert.Equal("recorded on 2026-12-07, Linux 6.18.44-fc-v1300", run.Source);
        Assert.Equal("lib/SocketsNotebooks/Inside/Recordings/echo.pcap", run.PcapPath);
        Assert.StartsWith("the recording is lib/SocketsNotebooks/Inside/Recordings/echo.pcap", run.PcapNote, StringComparison.Ordinal);
        Assert.Contains(run.Remarks, r => r.StartsWith("when it was recorded, socket table right after:", StringComparison.Ordinal));
        Assert.Equal(10, run.Segments.Count);
    }

    [SkippableFact]
    public async Task EchoAsync_Live_HandshakeEchoBothFinsAndTheClientInTimeWait()
    {
        Privileges.RequireCapture();
        string folder = Folder();
        try
        {
            var run = await LadderDemos.EchoAsync(folder).WaitAsync(TimeSpan.FromSeconds(30));

            Assert.True(run.IsLive);
            Assert.StartsWith("captured live on lo just now", run.Source, StringComparison.Ordinal);
            Assert.Equal(["SYN", "SYN, ACK", "ACK"], run.Segments.Take(3).Select(s => s.Flags));
            Assert.Equal(2, run.Segments.Count(s => s.Length == 12 && s.Payload == "b'Hello, world'"));
            Assert.Equal(2, run.Segments.Count(s => s.Flags.Contains("FIN", StringComparison.Ordinal)));
            Assert.Equal("client", run.Ladder.TimeWaitSide);
            Assert.Contains(run.Remarks, r => r.EndsWith("TIME_WAIT (the client's socket)", StringComparison.Ordinal));
            Assert.Equal(run.Segments, PcapFile.Read(Path.Combine(folder, "echo.pcap")));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [SkippableFact]
    public async Task ResetAsync_Live_RstInsteadOfFinAndTheClientSeesEconnreset()
    {
        Privileges.RequireCapture();
        string folder = Folder();
        try
        {
            var run = await LadderDemos.ResetAsync(folder).WaitAsync(TimeSpan.FromSeconds(30));

            Assert.Equal("RST, ACK", run.Segments[^1].Flags);
            Assert.Equal("reset", run.Ladder.Rungs[^1].Note);
            Assert.DoesNotContain(run.Segments, s => s.Flags.Contains("FIN", StringComparison.Ordinal));
            Assert.Contains(run.Remarks, r => r.Contains("ECONNRESET", StringComparison.Ordinal));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [SkippableFact]
    public async Task ZeroWindowAsync_Live_WindowClosesIsProbedAndUpdated()
    {
        Privileges.RequireCapture();
        string folder = Folder();
        try
        {
            var run = await LadderDemos.ZeroWindowAsync(folder).WaitAsync(TimeSpan.FromSeconds(30));
            var rungs = run.Ladder.Rungs;
            var closed = run.Ladder.WindowClosed;

            Assert.NotNull(closed);
            Assert.False(rungs.Single(r => r.Segment.No == closed.No).FromClient);
            int probe = rungs.ToList().FindIndex(r => r.Note.StartsWith("window probe", StringComparison.Ordinal));
            int update = rungs.ToList().FindIndex(r => r.Note == "window update");
            Assert.True(probe > rungs.ToList().FindIndex(r => r.Segment.No == closed.No), run.ToString());
            Assert.True(update > probe, run.ToString());
            Assert.True(LadderDemos.ClosedBothWays(run.Segments), run.ToString());
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
