using System.Collections.Concurrent;
using System.Net.Sockets;
using SocketsNotebooks.MultiConn;
using SocketsNotebooks.Selectors;
using SocketsNotebooks.Tracing;

namespace SocketsNotebooks.Tests.MultiConn;

// MultiConnServerOptions.SendAtOnce: the echo leaves in the wake-up that received it.
public sealed partial class MultiConnServerTests
{
    public static TheoryData<SelectorKind> Kinds => EpollSelector.IsSupported ? [SelectorKind.Select, SelectorKind.Epoll] : [SelectorKind.Select];

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task SendAtOnce_RequestThenResponse_OneWakeUpPerEchoWhereTheTutorialLoopTakesTwo(SelectorKind kind)
    {
        const int echoes = 200;
        var options = new MultiConnServerOptions { Selector = kind };
        long tutorial = await WakeUpsForEchoes(options, echoes, $"{nameof(SendAtOnce_RequestThenResponse_OneWakeUpPerEchoWhereTheTutorialLoopTakesTwo)}-{kind}-tutorial");
        long atOnce = await WakeUpsForEchoes(options with { SendAtOnce = true }, echoes, $"{nameof(SendAtOnce_RequestThenResponse_OneWakeUpPerEchoWhereTheTutorialLoopTakesTwo)}-{kind}-at-once");
        output.WriteLine($"{echoes} echoes, one at a time ({kind}): tutorial loop {tutorial} wake-ups, SendAtOnce {atOnce}");

        // Besides one per echo: the accept, the FIN, perhaps the stop.
        Assert.InRange(atOnce, echoes, echoes + 4);
        Assert.True(tutorial >= 2 * echoes, $"the tutorial loop took {tutorial} wake-ups for {echoes} echoes");
    }

    // One client, one request at a time: each waits for its echo, so no two requests share a wake-up.
    private async Task<long> WakeUpsForEchoes(MultiConnServerOptions options, int echoes, string name)
    {
        var trace = new Trace();
        // No Select timeout and no idle check: every wake-up is for a socket.
        var server = MultiConnServer.Start(trace, options with { SelectTimeout = null, IdleTimeout = null }, name);
        try
        {
            using var client = Connect(server);
            client.NoDelay = true;
            var message = "Message 1 from client."u8.ToArray();
            for (int i = 0; i < echoes; i++)
            {
                client.Send(message);
                Assert.Equal(message, ReceiveExactly(client, message.Length));
            }
            client.Shutdown(SocketShutdown.Send);
            Assert.Equal(0, client.Receive(new byte[1]));
            await ServerClosed(trace, (await ServerConn(trace, client)), CloseReason.PeerClosed);
        }
        finally
        {
            // Stopped before reading: the loop counts a wake-up just after serving it.
            server.Stop();
        }
        var connection = Assert.Single(server.Stats.Connections);
        Assert.Equal((echoes * 22L, echoes * 22L), (connection.BytesIn, connection.BytesOut));
        output.WriteLine($"{name}: {server.Stats}");
        return server.Stats.WakeUps;
    }

    [Fact]
    public async Task SendAtOnce_PayloadFarLargerThanSocketBuffers_EchoedByteForByte()
    {
        var trace = new Trace();
        var server = MultiConnServer.Start(trace, new MultiConnServerOptions { SendAtOnce = true },
            nameof(SendAtOnce_PayloadFarLargerThanSocketBuffers_EchoedByteForByte));
        // A small receive buffer set before connecting turns off its autotuning (up to 32 MiB on some
        // machines), so the server's send buffer (at most 4 MiB here) fills long before the payload ends.
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp)
        {
            ReceiveBufferSize = 64 * 1024,
            ReceiveTimeout = 10_000,
            SendTimeout = 10_000,
        };
        try
        {
            client.Connect(server.EndPoint);
            int conn = await ServerConn(trace, client);
            var payload = new byte[12 * 1024 * 1024];
            new Random(11).NextBytes(payload);

            var sending = Task.Factory.StartNew(() => client.Send(payload), TaskCreationOptions.LongRunning);
            // Not reading yet: the server's echo fills our receive buffer and its send buffer, so a
            // send() takes less than it was given, or nothing (WouldBlock), and the rest waits for Write.
            var partial = await trace.WaitForAsync(e => e.Conn == conn && e.Side == Side.Server
                && ((e.Kind == TraceKind.Send && e.Moved < e.Asked) || (e.Kind == TraceKind.Error && e.Note.StartsWith("WouldBlock", StringComparison.Ordinal))),
                TimeSpan.FromSeconds(10));
            output.WriteLine($"first short send: {partial.Kind} {partial.Moved} of {partial.Asked} {partial.Note}");

            var echoed = ReceiveExactly(client, payload.Length);
            Assert.Equal(payload.Length, await sending.WaitAsync(TimeSpan.FromSeconds(10)));
            Assert.True(payload.AsSpan().SequenceEqual(echoed), "the echo differs from the payload");
            var stats = server.Stats.Connections.Single(c => c.Conn == conn);
            Assert.Equal((payload.LongLength, payload.LongLength), (stats.BytesIn, stats.BytesOut));
        }
        finally
        {
            server.Stop();
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Server_PeerHalfClosesAfterMoreThanItsBuffersHold_StillGetsWholeEchoThenFin(bool sendAtOnce)
    {
        var trace = new Trace();
        var server = MultiConnServer.Start(trace, new MultiConnServerOptions { SendAtOnce = sendAtOnce },
            $"{nameof(Server_PeerHalfClosesAfterMoreThanItsBuffersHold_StillGetsWholeEchoThenFin)}{sendAtOnce}");
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp)
        {
            ReceiveBufferSize = 64 * 1024,
            ReceiveTimeout = 10_000,
            SendTimeout = 10_000,
        };
        try
        {
            client.Connect(server.EndPoint);
            int conn = await ServerConn(trace, client);
            var payload = new byte[6 * 1024 * 1024];
            new Random(13).NextBytes(payload);

            // Send everything, then the FIN, while the echo is read on this thread.
            var sending = Task.Factory.StartNew(() =>
            {
                client.Send(payload);
                client.Shutdown(SocketShutdown.Send);
            }, TaskCreationOptions.LongRunning);
            var echoed = ReceiveExactly(client, payload.Length);

            Assert.True(payload.AsSpan().SequenceEqual(echoed), "the echo differs from the payload");
            await sending.WaitAsync(TimeSpan.FromSeconds(10));
            Assert.Equal(0, client.Receive(new byte[1]));
            await ServerClosed(trace, conn, CloseReason.PeerClosed);
        }
        finally
        {
            server.Stop();
        }
    }

    [Fact]
    public void Start_NaiveAndSendAtOnce_ThrowsArgumentException()
    {
        var e = Assert.Throws<ArgumentException>(() =>
            MultiConnServer.Start(new Trace(), new MultiConnServerOptions { Naive = true, SendAtOnce = true }, nameof(Start_NaiveAndSendAtOnce_ThrowsArgumentException)));
        Assert.Contains("SendAtOnce", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendAtOnce_WithLog_SameLinesAsTheTutorial()
    {
        var lines = new ConcurrentQueue<string>();
        var trace = new Trace();
        var server = MultiConnServer.Start(trace, new MultiConnServerOptions { SendAtOnce = true, Log = lines.Enqueue },
            nameof(SendAtOnce_WithLog_SameLinesAsTheTutorial));
        string peer;
        try
        {
            using var client = Connect(server);
            var local = (System.Net.IPEndPoint)client.LocalEndPoint!;
            peer = $"('{local.Address}', {local.Port})";
            client.Send("it's"u8);
            Assert.Equal("it's"u8.ToArray(), ReceiveExactly(client, 4));
            client.Shutdown(SocketShutdown.Send);
            Assert.Equal(0, client.Receive(new byte[1]));
            await ServerClosed(trace, await ServerConn(trace, client), CloseReason.PeerClosed);
        }
        finally
        {
            // Stopped before reading: the closing line is written just after the close is recorded.
            server.Stop();
        }

        Assert.Equal([$"Accepted connection from {peer}", $"Echoing b\"it's\" to {peer}", $"Closing connection to {peer}"], lines);
    }
}
