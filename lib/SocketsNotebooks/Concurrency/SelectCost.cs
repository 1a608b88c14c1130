using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using SocketsNotebooks.Selectors;

namespace SocketsNotebooks.Concurrency;

/// <summary>
/// Measures what one <c>Select</c> costs as registered sockets grow: N idle connections registered
/// for reading, one of them with a byte waiting, so every call returns at once with one socket
/// ready. <see cref="Selector"/> hands all N to <c>Socket.Select</c> (poll) and reads all N back;
/// <see cref="EpollSelector"/> makes one <c>epoll_wait</c> that reports the one. The difference is
/// what the loop of notebook 02 pays on every wake-up.
/// </summary>
public static class SelectCost
{
    /// <summary>The most sockets one measurement registers.</summary>
    public const int MaxSockets = 5000;

    private static readonly TimeSpan s_batch = TimeSpan.FromMilliseconds(1);

    /// <summary>
    /// Times each selector (epoll only on Linux) with <paramref name="sockets"/> registered (default 1,
    /// 10, 100, 1,000), for about <paramref name="perPoint"/> each (default 50 ms), on 127.0.0.1
    /// connections opened for the purpose and closed before it returns.
    /// </summary>
    public static IReadOnlyList<SelectCostSample> Measure(IReadOnlyList<int>? sockets = null, TimeSpan? perPoint = null)
    {
        int[] counts = [.. (sockets ?? [1, 10, 100, 1000]).Order()];
        if (counts.Length == 0 || counts[0] < 1 || counts[^1] > MaxSockets)
        {
            throw new ArgumentOutOfRangeException(nameof(sockets), $"between 1 and {MaxSockets} sockets");
        }
        var time = perPoint ?? TimeSpan.FromMilliseconds(50);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(time, TimeSpan.FromSeconds(5), nameof(perPoint));
        SelectorKind[] kinds = EpollSelector.IsSupported ? [SelectorKind.Select, SelectorKind.Epoll] : [SelectorKind.Select];

        var open = new List<Socket>();
        try
        {
            var served = OpenPairs(counts[^1], open);
            var samples = new List<SelectCostSample>();
            foreach (int n in counts)
            {
                // Interleaved per point, so a moment when the machine is busy hurts both alike.
                foreach (var kind in kinds)
                {
                    samples.Add(Time(kind, served, n, time));
                }
            }
            return samples;
        }
        finally
        {
            foreach (var socket in open)
            {
                socket.Dispose();
            }
        }
    }

    private static SelectCostSample Time(SelectorKind kind, List<Socket> served, int n, TimeSpan time)
    {
        using var selector = BaseSelector.Create(kind);
        for (int i = 0; i < n; i++)
        {
            selector.Register(served[i], SelectorEvents.Read);
        }
        // A few calls first, so the timed ones run compiled code (the JIT tiers up hot methods).
        for (int i = 0; i < 50; i++)
        {
            Check(selector.Select(TimeSpan.Zero));
        }
        // Timed in batches of about a millisecond, and the median batch reported: on a shared machine
        // the thread is now and then taken off its core, and a batch that was interrupted would
        // otherwise pull the average up for both selectors alike.
        long calls = 0;
        var batches = new List<double>();
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < time || batches.Count < 3)
        {
            long start = Stopwatch.GetTimestamp(), inBatch = 0;
            do
            {
                Check(selector.Select(TimeSpan.Zero));
                inBatch++;
            }
            while (Stopwatch.GetElapsedTime(start) < s_batch);
            batches.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds * 1000 / inBatch);
            calls += inBatch;
        }
        batches.Sort();
        double micro = batches[batches.Count / 2];
        string name = kind == SelectorKind.Epoll ? "EpollSelector (epoll_wait)" : "Selector (Socket.Select, poll)";
        return new SelectCostSample(name, n, calls, Math.Round(micro, 2));
    }

    private static void Check(IReadOnlyList<SelectorReady> ready)
    {
        if (ready.Count != 1)
        {
            throw new InvalidOperationException($"expected exactly one ready socket, got {ready.Count}");
        }
    }

    // The server ends of `count` connections, non-blocking; the first has a byte waiting that is never read.
    private static List<Socket> OpenPairs(int count, List<Socket> open)
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(count);
        var served = new List<Socket>(count);
        for (int i = 0; i < count; i++)
        {
            var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            open.Add(client);
            client.Connect(listener.LocalEndPoint!);
            var server = listener.Accept();
            open.Add(server);
            server.Blocking = false;
            served.Add(server);
            if (i == 0)
            {
                client.Send([1]);
                // Bounded wait for the byte to arrive, so the first call already sees it.
                server.Poll(1_000_000, SelectMode.SelectRead);
            }
        }
        return served;
    }
}
