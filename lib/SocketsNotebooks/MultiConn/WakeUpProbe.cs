using System.Diagnostics;
using System.Net.Sockets;
using SocketsNotebooks.Tracing;

namespace SocketsNotebooks.MultiConn;

/// <summary>
/// Measures what a server's event loop does while nothing happens: three equal phases - no
/// connections, a few connections open but silent, and after they closed - counting the loop's
/// wake-ups in each. A careful loop wakes only when its <c>Select</c> timeout passes; the naive
/// one spins for as long as a connection is open.
/// </summary>
public static class WakeUpProbe
{
    /// <summary>The names of the three phases, in order.</summary>
    public static IReadOnlyList<string> Phases { get; } = ["no connections", "idle connections open", "after they closed"];

    /// <summary>
    /// Runs the three phases of <paramref name="phase"/> each (default 0.3 s, so about a second in
    /// all) against <paramref name="server"/> with <paramref name="connections"/> silent connections.
    /// </summary>
    public static IReadOnlyList<WakeUpRate> Run(MultiConnServer server, int connections = 5, TimeSpan? phase = null, string? mode = null)
    {
        ArgumentNullException.ThrowIfNull(server);
        var length = phase ?? TimeSpan.FromMilliseconds(300);
        mode ??= server.Options.Interest is not null ? "your rule" : server.Naive ? "naive" : "write only when needed";
        var rates = new List<WakeUpRate>(3);
        var open = new List<Socket>();
        try
        {
            rates.Add(Measure(server, mode, Phases[0], length));
            long before = server.Stats.ConnectionsSeen;
            int openBefore = OpenCount(server);
            for (int i = 0; i < connections; i++)
            {
                var socket = new Socket(server.EndPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
                open.Add(socket);
                socket.Connect(server.EndPoint);
            }
            WaitUntil(() => server.Stats.ConnectionsSeen >= before + connections, "the server to accept the connections");
            rates.Add(Measure(server, mode, Phases[1], length));
            foreach (var socket in open)
            {
                socket.Close();
            }
            WaitUntil(() => OpenCount(server) <= openBefore, "the server to close the connections");
            rates.Add(Measure(server, mode, Phases[2], length));
            return rates;
        }
        finally
        {
            open.ForEach(s => s.Dispose());
        }
    }

    // A measuring window: the point is to let time pass and count what the loop did meanwhile.
    private static WakeUpRate Measure(MultiConnServer server, string mode, string phase, TimeSpan length)
    {
        long wakeUps = server.Stats.WakeUps, idle = server.Stats.IdleWakeUps;
        var clock = Stopwatch.StartNew();
        Thread.Sleep(length);
        double seconds = clock.Elapsed.TotalSeconds;
        return new WakeUpRate(mode, phase, Math.Round(seconds, 3), server.Stats.WakeUps - wakeUps, server.Stats.IdleWakeUps - idle);
    }

    private static int OpenCount(MultiConnServer server) => server.Stats.Connections.Count(c => c.CloseReason == CloseReason.Open);

    private static void WaitUntil(Func<bool> condition, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > TimeSpan.FromSeconds(5))
            {
                throw new TimeoutException($"Gave up waiting for {what} after 5 s.");
            }
            Thread.Sleep(5);
        }
    }
}
