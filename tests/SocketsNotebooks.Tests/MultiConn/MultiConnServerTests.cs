using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Time.Testing;
using SocketsNotebooks.MultiConn;
using SocketsNotebooks.Network;
using SocketsNotebooks.Selectors;
using SocketsNotebooks.Tracing;
using Xunit.Abstractions;

namespace SocketsNotebooks.Tests.MultiConn;

public sealed partial class MultiConnServerTests(ITestOutputHelper output)
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(5);

    private static Socket Connect(MultiConnServer server)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveTimeout = 5000 };
        socket.Connect(server.EndPoint);
        return socket;
    }

    // The server's Accept event names the client's address; its Conn is the id of that connection.
    private static async Task<int> ServerConn(Trace trace, Socket client)
    {
        string from = $"from {client.LocalEndPoint}";
        return (await trace.WaitForAsync(e => e.Side == Side.Server && e.Kind == TraceKind.Accept && e.Note == from, s_wait)).Conn;
    }

    private static async Task<TraceEvent> ServerClosed(Trace trace, int conn, CloseReason reason) =>
        await trace.WaitForAsync(e => e.Side == Side.Server && e.Kind == TraceKind.Close && e.Note == reason.ToString() && e.Conn == conn, s_wait);

    private static void TalkerEcho(Socket talker)
    {
        talker.Send("still here"u8);
        Assert.Equal("still here", Encoding.ASCII.GetString(ReceiveExactly(talker, 10)));
    }

    private static byte[] ReceiveExactly(Socket socket, int count)
    {
        var buffer = new byte[count];
        int got = 0;
        while (got < count)
        {
            int n = socket.Receive(buffer, got, count - got, SocketFlags.None);
            Assert.True(n > 0, $"FIN after {got} of {count} bytes");
            got += n;
        }
        return buffer;
    }

    [Fact]
    public async Task Server_TutorialClient_EchoesBothMessagesOnEveryConnection()
    {
        var trace = new Trace();
        var server = MultiConnServer.Start(trace, name: nameof(Server_TutorialClient_EchoesBothMessagesOnEveryConnection));
        try
        {
            var result = await MultiConnClient.RunAsync(server.EndPoint, 2, trace).WaitAsync(s_wait);

            Assert.True(result.AllEchoed, result.ToString());
            Assert.All(result.Connections, c => Assert.Equal(44, c.BytesReceived));
            foreach (var c in result.Connections)
            {
                await ServerClosed(trace, c.Conn, CloseReason.PeerClosed);
            }
            server.Stop();
            // The per-second timeline accounts for every wake-up.
            double perBucket = LoopStats.BucketWidth.TotalSeconds;
            Assert.Equal(server.Stats.WakeUps, (long)Math.Round(server.Stats.WakeUpsPerSecond().Sum(b => b.WakeUps * perBucket)));
            Assert.All(server.Stats.Connections, c => Assert.Equal((44L, 44L, CloseReason.PeerClosed), (c.BytesIn, c.BytesOut, c.CloseReason)));
            Assert.Contains(trace.Events, e => e.Side == Side.Server && e.Kind == TraceKind.Recv && e.Preview.StartsWith("b'Message 1", StringComparison.Ordinal));
        }
        finally
        {
            server.Stop();
        }
    }

    [Fact]
    public async Task Server_ThousandConcurrentConnections_AllEchoCorrectly()
    {
        const int connections = 1000;
        var trace = new Trace();
        var server = MultiConnServer.Start(trace, name: nameof(Server_ThousandConcurrentConnections_AllEchoCorrectly));
        try
        {
            // Each connection sends its own bytes, so an echo crossing connections would be caught.
            IReadOnlyList<byte[]> MessagesFor(int connId) =>
                [Encoding.ASCII.GetBytes($"conn {connId} says hello;"), Encoding.ASCII.GetBytes(new string((char)('a' + connId % 26), 200 + connId % 300))];

            var result = await MultiConnClient.RunAsync(server.EndPoint, connections, trace, MessagesFor,
                new MultiConnClientOptions { Timeout = TimeSpan.FromSeconds(20) }).WaitAsync(TimeSpan.FromSeconds(30));

            // Stopped first: the loop records a send's bytes just after the call, so a client can be
            // done a moment before the server's stats say so.
            server.Stop();
            output.WriteLine(result.ToString());
            output.WriteLine($"server: {server.Stats}");
            Assert.Equal(connections, result.Connections.Count);
            Assert.All(result.Connections, c => Assert.True(c.Echoed && c.CloseReason == CloseReason.Done, c.ToString()));
            Assert.Equal(connections, server.Stats.Connections.Count);
            output.WriteLine($"peak open at once: server {PeakOpen(server.Stats)}, client {PeakOpen(result.Stats)}");
            // Every connect was started before any was serviced, so all were open at the same time.
            Assert.Equal(connections, PeakOpen(result.Stats));
            Assert.Equal(result.Connections.Sum(c => (long)c.BytesSent), server.Stats.Connections.Sum(c => c.BytesOut));
        }
        finally
        {
            server.Stop();
        }
    }

    // Most connections open at the same moment, from each connection's open and close times.
    private static int PeakOpen(LoopStats stats)
    {
        var edges = stats.Connections.SelectMany(c => new[] { (c.OpenedMs, 1), (c.ClosedMs ?? double.MaxValue, -1) })
            .OrderBy(e => e.Item1).ThenBy(e => e.Item2);
        int open = 0, peak = 0;
        foreach (var (_, delta) in edges)
        {
            open += delta;
            peak = Math.Max(peak, open);
        }
        return peak;
    }

    [Fact]
    public async Task Server_PeerResetsMidStream_OtherConnectionKeepsEchoing()
    {
        var trace = new Trace();
        var server = MultiConnServer.Start(trace, name: nameof(Server_PeerResetsMidStream_OtherConnectionKeepsEchoing));
        using var good = Connect(server);
        using var rude = Connect(server);
        try
        {
            good.Send("before "u8);
            Assert.Equal("before "u8.ToArray(), ReceiveExactly(good, 7));
            rude.Send(new byte[5000]);
            // Linger 0: close sends RST instead of FIN, like a crashed peer.
            rude.LingerState = new LingerOption(true, 0);
            int rudeConn = await ServerConn(trace, rude);
            rude.Close();
            await ServerClosed(trace, rudeConn, CloseReason.PeerReset);

            good.Send("after"u8);

            Assert.Equal("after"u8.ToArray(), ReceiveExactly(good, 5));
            Assert.Contains(trace.Events, e => e.Kind == TraceKind.Error && e.Note.StartsWith("PeerReset", StringComparison.Ordinal));
            Assert.True(server.IsRunning);
        }
        finally
        {
            server.Stop();
        }
    }

    [Fact]
    public async Task Server_PeerHalfCloses_StillGetsWholeEchoThenServerCloses()
    {
        var trace = new Trace();
        var server = MultiConnServer.Start(trace, name: nameof(Server_PeerHalfCloses_StillGetsWholeEchoThenServerCloses));
        using var bystander = Connect(server);
        using var client = Connect(server);
        try
        {
            var payload = new byte[100_000];
            new Random(7).NextBytes(payload);
            int conn = await ServerConn(trace, client);
            client.Send(payload);
            // FIN half-way through the conversation: no more from us, but we still read.
            client.Shutdown(SocketShutdown.Send);

            Assert.Equal(payload, ReceiveExactly(client, payload.Length));
            Assert.Equal(0, client.Receive(new byte[1]));
            await ServerClosed(trace, conn, CloseReason.PeerClosed);
            bystander.Send("still here"u8);
            Assert.Equal("still here"u8.ToArray(), ReceiveExactly(bystander, 10));
        }
        finally
        {
            server.Stop();
        }
    }

    [Fact]
    public async Task Server_PeerNeverCloses_OtherClientsFinish()
    {
        var trace = new Trace();
        var server = MultiConnServer.Start(trace, name: nameof(Server_PeerNeverCloses_OtherClientsFinish));
        using var silent = Connect(server);
        using var halfMessage = Connect(server);
        try
        {
            halfMessage.Send("Message 1 fr"u8);

            var result = await MultiConnClient.RunAsync(server.EndPoint, 20, trace).WaitAsync(s_wait);

            Assert.True(result.AllEchoed, result.ToString());
            Assert.Contains(server.Stats.Connections, c => c.CloseReason == CloseReason.Open);
        }
        finally
        {
            server.Stop();
        }
    }

    [Fact]
    public async Task Server_ThroughRelayInRandomPieces_EveryConnectionEchoesExactly()
    {
        var trace = new Trace();
        var server = MultiConnServer.Start(trace, name: nameof(Server_ThroughRelayInRandomPieces_EveryConnectionEchoesExactly));
        var relay = Relay.Start(server.EndPoint, Pieces.RandomPerConnection(1, 9, seed: 5), trace, name: "relay-" + nameof(Server_ThroughRelayInRandomPieces_EveryConnectionEchoesExactly));
        try
        {
            var result = await MultiConnClient.RunAsync(relay.EndPoint, 8, trace).WaitAsync(TimeSpan.FromSeconds(15));

            Assert.True(result.AllEchoed, result.ToString());
            // The relay really cut the stream: the server needed several recv() calls per connection.
            Assert.All(server.Stats.Connections, c => Assert.True(c.Recvs > 2, c.ToString()));
        }
        finally
        {
            relay.Stop();
            server.Stop();
        }
    }

    [Fact]
    public async Task Server_PeerSendsButNeverReads_StopsReadingItAndOthersStillEcho()
    {
        var trace = new Trace();
        var server = MultiConnServer.Start(trace, new MultiConnServerOptions { MaxPendingBytes = 64 * 1024 },
            nameof(Server_PeerSendsButNeverReads_StopsReadingItAndOthersStillEcho));
        using var flooder = Connect(server);
        try
        {
            int flooderConn = await ServerConn(trace, flooder);
            flooder.Blocking = false;
            var chunk = new byte[64 * 1024];
            long sent = 0;
            // Send until the buffers on both sides are full; bounded so a bug cannot loop for ever.
            for (int i = 0; i < 1000; i++)
            {
                try
                {
                    sent += flooder.Send(chunk);
                }
                catch (SocketException e) when (e.SocketErrorCode == SocketError.WouldBlock)
                {
                    break;
                }
            }

            var result = await MultiConnClient.RunAsync(server.EndPoint, 5, trace).WaitAsync(s_wait);
            bool stoppedReading = SpinWait.SpinUntil(() =>
                server.Keys.Any(k => k.Traced?.Conn == flooderConn && k.Events == SelectorEvents.Write), s_wait);

            var flood = server.Stats.Connections.First(c => c.Conn == flooderConn);
            output.WriteLine($"flooder sent {sent:N0} bytes before WouldBlock; server read {flood.BytesIn:N0}, echoed {flood.BytesOut:N0} into the flooder's full receive buffer");
            Assert.True(result.AllEchoed, result.ToString());
            Assert.True(stoppedReading, "the server kept reading from a peer that never reads its echo");
            // What the server holds for it (read, not yet echoed) stays near the limit: it stopped reading.
            Assert.InRange(flood.BytesIn - flood.BytesOut, 1, 64 * 1024 + 2 * server.Options.ReceiveSize);
        }
        finally
        {
            server.Stop();
        }
    }

    [Fact]
    public async Task Server_DefaultOptions_SilentConnectionClosedAfterThirtySeconds()
    {
        var time = new FakeTimeProvider();
        var trace = new Trace();
        var server = MultiConnServer.Start(trace, new MultiConnServerOptions { TimeProvider = time }, nameof(Server_DefaultOptions_SilentConnectionClosedAfterThirtySeconds));
        try
        {
            using var silent = Connect(server);
            int conn = await ServerConn(trace, silent);
            using var talker = Connect(server);
            // The loop is one thread: once the talker's echo is back, the silent connection's accept is
            // long done, so its clock started before the clock moves.
            TalkerEcho(talker);
            time.Advance(TimeSpan.FromSeconds(29));
            TalkerEcho(talker);
            Assert.DoesNotContain(trace.Events, e => e.Conn == conn && e.Kind == TraceKind.Close);

            time.Advance(TimeSpan.FromSeconds(2));

            await ServerClosed(trace, conn, CloseReason.IdleTimeout);
        }
        finally
        {
            server.Stop();
        }
    }

    [Fact]
    public async Task Server_IdleTimeout_ClosesSilentConnectionOnly()
    {
        var trace = new Trace();
        var server = MultiConnServer.Start(trace, new MultiConnServerOptions { IdleTimeout = TimeSpan.FromMilliseconds(150) },
            nameof(Server_IdleTimeout_ClosesSilentConnectionOnly));
        using var silent = Connect(server);
        try
        {
            await ServerClosed(trace, await ServerConn(trace, silent), CloseReason.IdleTimeout);

            Assert.Equal(0, silent.Receive(new byte[1]));
            Assert.Contains(trace.Events, e => e.Kind == TraceKind.Error && e.Note.StartsWith("IdleTimeout", StringComparison.Ordinal));
            var result = await MultiConnClient.RunAsync(server.EndPoint, 3, trace).WaitAsync(s_wait);
            Assert.True(result.AllEchoed, result.ToString());
        }
        finally
        {
            server.Stop();
        }
    }

    [Fact]
    public async Task Stop_WithOpenConnections_EndsLoopAndClosesThem()
    {
        var trace = new Trace();
        var server = MultiConnServer.Start(trace, new MultiConnServerOptions { SelectTimeout = null }, nameof(Stop_WithOpenConnections_EndsLoopAndClosesThem));
        using var client = Connect(server);
        client.Send("x"u8);
        Assert.Equal("x"u8.ToArray(), ReceiveExactly(client, 1));

        server.Stop();

        Assert.False(server.IsRunning);
        Assert.Null(server.Failure);
        Assert.Equal(0, client.Receive(new byte[1]));
        Assert.Equal(CloseReason.Stopped, Assert.Single(server.Stats.Connections).CloseReason);
        await Task.CompletedTask;
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Server_BothModes_EchoTheSame(bool naive)
    {
        var trace = new Trace();
        var server = MultiConnServer.Start(trace, naive, $"{nameof(Server_BothModes_EchoTheSame)}{naive}");
        try
        {
            var result = await MultiConnClient.RunAsync(server.EndPoint, 10, trace, options: new MultiConnClientOptions { Naive = naive }).WaitAsync(s_wait);

            Assert.True(result.AllEchoed, result.ToString());
        }
        finally
        {
            server.Stop();
        }
    }

    [Fact]
    public async Task IdleConnections_FixedLoopWakesOnlyOnTimeouts_NaiveLoopSpins()
    {
        var window = TimeSpan.FromMilliseconds(300);
        var timeout = TimeSpan.FromMilliseconds(50);
        var options = new MultiConnServerOptions { SelectTimeout = timeout };
        var (fixedWakeUps, fixedElapsed) = await IdleWakeUps(options, window);
        var (naiveWakeUps, naiveElapsed) = await IdleWakeUps(options with { Naive = true }, window);
        output.WriteLine($"idle with 3 open connections: fixed {fixedWakeUps} wake-ups in {fixedElapsed.TotalMilliseconds:0} ms, naive {naiveWakeUps} in {naiveElapsed.TotalMilliseconds:0} ms");

        // One wake-up per Select timeout (the window may stretch on a busy machine), plus a little slack.
        long timeouts = (long)(fixedElapsed / timeout);
        Assert.InRange(fixedWakeUps, 1, timeouts + 3);
        Assert.True(naiveWakeUps > 20 * (timeouts + 3), $"naive {naiveWakeUps} vs fixed {fixedWakeUps}");
    }

    private static async Task<(long WakeUps, TimeSpan Elapsed)> IdleWakeUps(MultiConnServerOptions options, TimeSpan window)
    {
        var trace = new Trace();
        var server = MultiConnServer.Start(trace, options, $"idle-wakeups-{options.Naive}");
        var clients = new List<Socket>();
        try
        {
            for (int i = 0; i < 3; i++)
            {
                clients.Add(Connect(server));
            }
            foreach (var client in clients)
            {
                await ServerConn(trace, client);
            }
            long before = server.Stats.WakeUps;
            var clock = System.Diagnostics.Stopwatch.StartNew();
            // A measuring window, not synchronisation: we count what the loop does while nothing happens.
            await Task.Delay(window);
            return (server.Stats.WakeUps - before, clock.Elapsed);
        }
        finally
        {
            server.Stop();
            clients.ForEach(c => c.Dispose());
        }
    }
}
