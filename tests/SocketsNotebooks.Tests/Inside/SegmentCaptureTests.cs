using System.Net;
using System.Net.Sockets;
using SocketsNotebooks.Inside;

namespace SocketsNotebooks.Tests.Inside;

[Collection(InsideLabCollection.Name)]
public sealed class SegmentCaptureTests
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(10);

    [SkippableFact]
    public async Task Start_OneEchoExchange_SegmentsAndAPcapTcpdumpReadsTheSame()
    {
        Privileges.RequireCapture();
        string tcpdump = Privileges.RequireTool("tcpdump", "tcpdump");
        using var listener = Listener();
        int port = ((IPEndPoint)listener.LocalEndPoint!).Port;
        string path = Path.Combine(Path.GetTempPath(), $"sockets-capture-test-{Guid.NewGuid():N}.pcap");
        var capture = SegmentCapture.Start(port);
        try
        {
            using (var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveTimeout = 5000 })
            {
                client.Connect(listener.LocalEndPoint!);
                using var server = listener.Accept();
                server.ReceiveTimeout = 5000;
                client.Send("Hello"u8);
                var buffer = new byte[16];
                int got = server.Receive(buffer);
                server.Send(buffer, got, SocketFlags.None);
                client.Receive(buffer);
                client.Shutdown(SocketShutdown.Send);
                Assert.Equal(0, server.Receive(buffer)); // FIN
                server.Close();
            }
            await capture.WaitForAsync(LadderDemos.ClosedBothWays, s_timeout);

            var segments = capture.Stop(path);

            Assert.Equal(["SYN", "SYN, ACK", "ACK"], segments.Take(3).Select(s => s.Flags));
            Assert.Contains(segments, s => s.Length == 5 && s.Payload == "b'Hello'");
            Assert.All(segments, s => Assert.Contains($":{port}", s.Source + s.Destination, StringComparison.Ordinal));
            TcpdumpReading.AssertAgrees(TcpdumpReading.Read(tcpdump, path), PcapFile.Read(path));
        }
        finally
        {
            capture.Stop();
            File.Delete(path);
        }
        Assert.False(capture.IsRunning);
    }

    [SkippableFact]
    public void Stop_RightAfterTheExchange_KeepsEveryFrameTheKernelHadDelivered()
    {
        Privileges.RequireCapture();
        // Twenty times, so a reader thread that had not caught up yet is sure to happen: Stop must still read the
        // frames the kernel put in the ring before it (the server's FIN reached the client, so it passed the tap).
        for (int round = 0; round < 20; round++)
        {
            using var listener = Listener();
            var capture = SegmentCapture.Start(((IPEndPoint)listener.LocalEndPoint!).Port);
            using (var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveTimeout = 5000 })
            {
                client.Connect(listener.LocalEndPoint!);
                using var server = listener.Accept();
                client.Send("Hello"u8);
                server.Receive(new byte[16]);
                server.Close();
                Assert.Equal(0, client.Receive(new byte[16]));
            }

            var segments = capture.Stop();

            // Everything up to the server's FIN passed the tap before Stop (the client read that FIN). The two CPUs may
            // hand neighbouring frames to the tap in swapped order, so no order is asserted.
            string seen = $"round {round}: {string.Join(" | ", segments)}";
            Assert.True(new[] { "SYN", "SYN, ACK", "PSH, ACK" }.All(flags => segments.Count(s => s.Flags == flags) == 1), seen);
            Assert.True(segments.Any(s => s.Flags.Contains("FIN", StringComparison.Ordinal) && s.Source == listener.LocalEndPoint!.ToString()), seen);
        }
    }

    [SkippableFact]
    public async Task Stop_NoTrafficAtAll_ReturnsAtOnceWithNothing()
    {
        Privileges.RequireCapture();
        using var listener = Listener();
        var capture = SegmentCapture.Start(((IPEndPoint)listener.LocalEndPoint!).Port);

        // The reader waits for a frame that never comes; Stop must wake it (pcap_breakloop), not wait for one.
        var segments = await Task.Run(() => capture.Stop()).WaitAsync(s_timeout);

        Assert.Empty(segments);
        Assert.False(capture.IsRunning);
    }

    [SkippableFact]
    public async Task DisposeAsync_ExperimentThrows_CaptureStoppedAnyway()
    {
        Privileges.RequireCapture();
        using var listener = Listener();
        SegmentCapture? started = null;

        async Task Experiment()
        {
            await using var capture = SegmentCapture.Start(((IPEndPoint)listener.LocalEndPoint!).Port);
            started = capture;
            throw new InvalidOperationException("the cell failed");
        }

        await Assert.ThrowsAsync<InvalidOperationException>(Experiment).WaitAsync(s_timeout);
        Assert.NotNull(started);
        Assert.False(started.IsRunning);
        Assert.DoesNotContain(nameof(SegmentCapture), InsideLab.Running);
    }

    [SkippableFact]
    public void StopAll_CaptureLeftRunning_Stopped()
    {
        Privileges.RequireCapture();
        using var listener = Listener();
        var capture = SegmentCapture.Start(((IPEndPoint)listener.LocalEndPoint!).Port);

        InsideLab.StopAll();

        Assert.False(capture.IsRunning);
        Assert.Empty(InsideLab.Running);
    }

    [Fact]
    public void Start_PortZero_ArgumentOutOfRange()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => SegmentCapture.Start(0));
    }

    private static Socket Listener()
    {
        var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen();
        return listener;
    }
}
