using System.Net;
using System.Net.Sockets;

namespace SocketsNotebooks.Inside;

/// <summary>
/// A transfer over a loopback that loses segments: in a <see cref="NetworkNamespace"/> of its own (so the machine's
/// own 127.0.0.1 is never touched), with an MTU of 1500 and <see cref="LossPercent"/> % of the segments dropped,
/// a client sends 16 KiB at a time to a server that reads everything, at least 1 MiB and until its kernel has
/// retransmitted a segment.
/// The capture (headers only) and the client's TCP_INFO show the loss, the duplicate ACKs and the retransmission.
/// Where this process may not make namespaces or capture, the recording of the same run is shown instead.
/// </summary>
public static class LossDemo
{
    /// <summary>The share of segments dropped, in percent.</summary>
    public const int LossPercent = 1;

    // 16 KiB per send(), and a TCP_INFO sample after each: the transfer lasts only milliseconds on loopback.
    private const int Chunk = 16 * 1024;

    // At least this much, so the TCP_INFO samples show the congestion window growing and falling, not one blink.
    private const long MinBytes = 1024 * 1024;
    private const long MaxBytes = 64L * 1024 * 1024;
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(10);

    /// <summary>Whether this process may run the live experiment here, and if not, why.</summary>
    public static (bool CanRun, string Reason) Check()
    {
        if (!LadderDemos.Rights.CanCapture)
        {
            return (false, LadderDemos.Rights.Reason);
        }
        var (canCreate, reason) = NetworkNamespace.Check();
        return (canCreate, canCreate ? "this process may create network namespaces and capture in them" : reason);
    }

    /// <summary>
    /// Runs the transfer (live when <see cref="Check"/> allows and <paramref name="live"/> is not false) and writes
    /// the capture to <paramref name="pcapFolder"/>/loss.pcap. The namespace is removed whatever happens.
    /// </summary>
    public static async Task<LossRun> RunAsync(string? pcapFolder = null, bool? live = null)
    {
        if (!(live ?? Check().CanRun))
        {
            return Recorded();
        }
        await using var ns = NetworkNamespace.Create();
        if (!ns.TryLoss(LossPercent, out string impairment))
        {
            throw new InvalidOperationException(impairment);
        }
        var (listener, client) = ns.Run(() =>
        {
            var l = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            l.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            l.Listen();
            return (l, new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp));
        });
        using (listener)
        using (client)
        {
            int port = ((IPEndPoint)listener.LocalEndPoint!).Port;
            // Headers only: the payload is zeros, and a recording of thousands of segments stays small.
            var capture = ns.Run(() => SegmentCapture.Start(port, snapLength: 128));
            try
            {
                client.Connect(listener.LocalEndPoint!);
                using var server = listener.Accept();
                var reading = Task.Run(() => ReadToEnd(server));
                var sampler = TcpInfoSampler.Start(client, TimeSpan.FromMilliseconds(1));
                long sent = 0;
                var chunk = new byte[Chunk];
                while (sent < MaxBytes && (sent < MinBytes || TcpInfoReader.Read(client).TotalRetransmits == 0))
                {
                    sent += client.Send(chunk);
                    sampler.Take();
                }
                client.Shutdown(SocketShutdown.Send);
                await reading.WaitAsync(s_timeout).ConfigureAwait(false);
                // Everything has arrived: the transfer is over, and so is what the chart is about.
                var samples = sampler.Stop();
                server.Close();
                await capture.WaitForAsync(LadderDemos.ClosedBothWays, s_timeout).ConfigureAwait(false);
                string path = LadderDemos.PcapPath(pcapFolder, "loss");
                var ladder = Ladder.From(capture.Stop(path));
                File.WriteAllText(Path.ChangeExtension(path, null) + "-tcpinfo.csv", TcpInfoCsv.Write(samples));
                string source = $"measured just now in network namespace {ns.Name}, Linux {LadderDemos.KernelRelease}";
                return new LossRun(ladder, samples, impairment, sent, true, source, path);
            }
            finally
            {
                capture.Stop();
            }
        }
    }

    /// <summary>The recorded run that comes with the course.</summary>
    public static LossRun Recorded()
    {
        var recording = Recordings.Loss;
        var samples = TcpInfoCsv.Read(System.Text.Encoding.UTF8.GetString(Recordings.LossTcpInfo()));
        var ladder = recording.Ladder();
        long sent = ladder.Rungs.Where(r => r.FromClient).Sum(r => (long)r.Segment.Length)
            - ladder.Rungs.Where(r => r.FromClient && r.Note.StartsWith("retransmission", StringComparison.Ordinal)).Sum(r => (long)r.Segment.Length);
        return new LossRun(ladder, samples, recording.Remarks.FirstOrDefault() ?? "", sent, false, recording.Source, recording.Path);
    }

    private static long ReadToEnd(Socket server)
    {
        var buffer = new byte[Chunk];
        long total = 0;
        int read;
        while ((read = server.Receive(buffer)) > 0)
        {
            total += read;
        }
        return total; // FIN: the client has sent everything
    }
}
