using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace SocketsNotebooks.Inside;

/// <summary>
/// Delay, where the kernel has netem: in a <see cref="NetworkNamespace"/>, netem delays every packet on that
/// namespace's loopback, and the experiment measures request/response time against the round trip, then
/// throughput against receive buffer size at <see cref="Delay"/> (the bandwidth-delay product: at most one
/// window per round trip). Where netem is missing it says so and measures nothing: a delay cannot be faked.
/// </summary>
public static class DelayDemo
{
    /// <summary>The one-way delay of the throughput runs (a round trip is twice that).</summary>
    public static readonly TimeSpan Delay = TimeSpan.FromMilliseconds(20);

    /// <summary>The one-way delays of the request/response runs, in milliseconds.</summary>
    public static readonly int[] Delays = [0, 5, 10, 20];

    /// <summary>The receive buffers of the throughput runs, in bytes.</summary>
    public static readonly int[] ReceiveBuffers = [16 * 1024, 64 * 1024, 256 * 1024, 1024 * 1024];

    /// <summary>How a reader checks whether their kernel has netem.</summary>
    public const string HowToCheck =
        "sudo ip netns add t && sudo tc -n t qdisc add dev lo root netem delay 20ms && echo netem works; sudo ip netns del t " +
        "(or: grep NETEM /boot/config-$(uname -r), or: modinfo sch_netem)";

    /// <summary>Runs both measurements where namespaces and netem are available; otherwise a run with <c>Ran = false</c> and the reason.</summary>
    public static Task<DelayRun> RunAsync() => RunAsync(requireNetem: true);

    /// <summary>The same, and for the library's own tests without netem (every delay then really is zero).</summary>
    internal static async Task<DelayRun> RunAsync(bool requireNetem, int requests = 10, double seconds = 0.5)
    {
        var (canCreate, reason) = NetworkNamespace.Check();
        if (!canCreate)
        {
            return new DelayRun(false, $"no network namespace here ({reason})", [], []);
        }
        var timings = new List<RequestTiming>();
        string applied = "no delay: run without netem";
        foreach (int delay in Delays)
        {
            await using var ns = NetworkNamespace.Create();
            if (ns.TryDelay(TimeSpan.FromMilliseconds(delay), out string netem))
            {
                applied = "netem delay on the namespace's loopback";
            }
            else if (requireNetem)
            {
                return new DelayRun(false, $"this kernel has no netem: `tc qdisc add ... netem` answered \"{netem}\"", [], []);
            }
            timings.AddRange(Requests(ns, delay, requests));
        }
        var points = new List<ThroughputPoint>();
        foreach (int buffer in ReceiveBuffers)
        {
            await using var ns = NetworkNamespace.Create();
            ns.TryDelay(Delay, out _);
            points.Add(await ThroughputAsync(ns, buffer, TimeSpan.FromSeconds(seconds)).ConfigureAwait(false));
        }
        return new DelayRun(true, applied, timings, points);
    }

    private static (Socket Listener, Socket Client, Socket Server) Connect(NetworkNamespace ns, int? receiveBuffer)
    {
        var (listener, client) = ns.Run(() => (LadderDemos.Listener(receiveBuffer), new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp)));
        client.Connect(listener.LocalEndPoint!);
        return (listener, client, listener.Accept());
    }

    private static List<RequestTiming> Requests(NetworkNamespace ns, int delayMs, int count)
    {
        var (listener, client, server) = Connect(ns, null);
        using (listener)
        using (client)
        using (server)
        {
            client.NoDelay = server.NoDelay = true;
            client.ReceiveTimeout = server.ReceiveTimeout = 5000;
            var request = new byte[100];
            var result = new List<RequestTiming>();
            for (int i = 0; i < count; i++)
            {
                var clock = Stopwatch.StartNew();
                client.Send(request);
                NagleExperiment.ReceiveExactly(server, request.Length);
                server.Send(request);
                NagleExperiment.ReceiveExactly(client, request.Length);
                result.Add(new RequestTiming(delayMs, TcpInfoReader.Read(client).RttMs, clock.Elapsed.TotalMilliseconds));
            }
            return result;
        }
    }

    private static async Task<ThroughputPoint> ThroughputAsync(NetworkNamespace ns, int receiveBuffer, TimeSpan duration)
    {
        var (listener, client, server) = Connect(ns, receiveBuffer);
        using (listener)
        using (client)
        using (server)
        {
            long received = 0;
            var reading = Task.Run(() =>
            {
                var buffer = new byte[64 * 1024];
                int read;
                while ((read = server.Receive(buffer)) > 0)
                {
                    Interlocked.Add(ref received, read);
                }
            });
            var chunk = new byte[16 * 1024];
            var clock = Stopwatch.StartNew();
            client.SendTimeout = (int)duration.TotalMilliseconds + 1000;
            while (clock.Elapsed < duration)
            {
                client.Send(chunk);
            }
            double seconds = clock.Elapsed.TotalSeconds;
            long bytes = Interlocked.Read(ref received);
            double rtt = TcpInfoReader.Read(client).RttMs;
            client.Shutdown(SocketShutdown.Send);
            await reading.WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
            return new ThroughputPoint(receiveBuffer, bytes, seconds, rtt);
        }
    }
}
