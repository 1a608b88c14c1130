using System.Net;
using System.Net.Sockets;
using System.Text;
using CsCheck;
using SocketsNotebooks.Echo;
using SocketsNotebooks.Hosting;
using SocketsNotebooks.Network;
using SocketsNotebooks.Tracing;
using Xunit.Abstractions;

namespace SocketsNotebooks.Tests.Network;

public sealed class RelayTests(ITestOutputHelper output)
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(10);

    // Names are global in the process and test classes run in parallel: each test its own name.
    private static string Unique(string name) => $"{nameof(RelayTests)}-{name}-{Guid.NewGuid():N}";

    private static byte[] Message(int length) => Enumerable.Range(0, length).Select(i => (byte)('a' + i % 26)).ToArray();

    [Fact]
    public void Relay_AnyFixedPieceSize_EchoArrivesWholeAndServerRecvsAreThePieces()
    {
        var trace = new Trace();
        var echo = EchoServer.Start(trace, Unique("echo"));
        try
        {
            Gen.Select(Gen.Int[1, 9], Gen.Int[1, 60]).Sample((pieceSize, length) =>
            {
                trace.Clear();
                var relay = Relay.Start(echo.EndPoint, Pieces.Fixed(pieceSize), trace, TimeSpan.Zero, Unique("relay"));
                try
                {
                    var message = Message(length);
                    var echoed = EchoClient.Exchange(relay.EndPoint, message, trace);

                    Assert.Equal(message, echoed);
                    var serverData = trace.Recvs(Side.Server).Where(e => e.Moved > 0).Select(e => e.Moved).ToArray();
                    Assert.All(serverData, size => Assert.InRange(size, 1, pieceSize));
                    Assert.Equal(Pieces.Fixed(pieceSize).Cut(length), serverData);
                }
                finally
                {
                    relay.Stop();
                }
            }, iter: 25, threads: 1, seed: "0N0XIzNsQ0O2");
        }
        finally
        {
            echo.Stop();
        }
    }

    [Fact]
    public void Relay_RandomPieces_BytesArriveInOrderWithNothingLost()
    {
        var trace = new Trace();
        var echo = EchoServer.Start(trace, Unique("echo"));
        try
        {
            Gen.Select(Gen.Int[1, 5], Gen.Int[0, 12], Gen.Int, Gen.Int[0, 300]).Sample((min, extra, seed, length) =>
            {
                trace.Clear();
                var relay = Relay.Start(echo.EndPoint, Pieces.Random(min, min + extra, seed), trace, TimeSpan.Zero, Unique("relay"));
                try
                {
                    var message = Message(length);
                    Assert.Equal(message, EchoClient.Exchange(relay.EndPoint, message, trace));
                    var serverRecvs = trace.Recvs(Side.Server);
                    Assert.Equal(message, serverRecvs.SelectMany(e => Bytes(e, message, serverRecvs)).ToArray());
                    Assert.All(serverRecvs, e => Assert.InRange(e.Moved, 0, min + extra));
                }
                finally
                {
                    relay.Stop();
                }
            }, iter: 20, threads: 1, seed: "0N0XIzNsQ0O2");
        }
        finally
        {
            echo.Stop();
        }
    }

    // The bytes one recv carried, found by its offset in the stream (the preview only shows the first few).
    private static IEnumerable<byte> Bytes(TraceEvent recv, byte[] message, IReadOnlyList<TraceEvent> all)
    {
        int offset = all.TakeWhile(e => e != recv).Sum(e => e.Moved);
        Assert.StartsWith(PythonBytes.Repr(message.AsSpan(offset, Math.Min(recv.Moved, 24)))[..^1], recv.Preview.Length == 0 ? "b''" : recv.Preview);
        return message.Skip(offset).Take(recv.Moved);
    }

    [Fact]
    public async Task Relay_ClientHalfCloses_ServerSeesFinAndClientStillGetsTheEcho()
    {
        var trace = new Trace();
        var echo = EchoServer.Start(trace, Unique("echo"));
        var relay = Relay.Start(echo.EndPoint, Pieces.Fixed(2), trace, name: Unique("relay"));
        var client = EchoClient.Connect(relay.EndPoint, trace);
        try
        {
            client.SendAll("ping"u8.ToArray());
            client.Shutdown(SocketShutdown.Send);
            var fin = await trace.WaitForAsync(e => e.Side == Side.Server && e.Kind == TraceKind.Recv && e.Moved == 0, s_wait);

            Assert.Equal(client.Conn, fin.Conn);
            Assert.Equal("ping"u8.ToArray(), EchoClient.ReadUntilClosed(client));
            // The client's FIN goes on as the shutdown of the relay's leg facing the server.
            Assert.Contains(trace.Events, e => e.Side == Side.RelayToServer && e.Kind == TraceKind.Shutdown);
        }
        finally
        {
            client.Close();
            relay.Stop();
            echo.Stop();
        }
    }

    [Fact]
    public void Relay_SharedTrace_ServerEndCarriesTheClientsConnId()
    {
        var trace = new Trace();
        var echo = EchoServer.Start(trace, Unique("echo"));
        var relay = Relay.Start(echo.EndPoint, Pieces.Fixed(4), trace, name: Unique("relay"));
        try
        {
            EchoClient.Exchange(relay.EndPoint, "conn ids"u8.ToArray(), trace);
            int clientConn = trace.Events.Single(e => e.Side == Side.Client && e.Kind == TraceKind.Connect).Conn;
            Assert.Equal(clientConn, trace.Events.Single(e => e.Side == Side.Server && e.Kind == TraceKind.Accept).Conn);
            Assert.All(trace.Recvs(), e => Assert.Equal(clientConn, e.Conn));
        }
        finally
        {
            relay.Stop();
            echo.Stop();
        }
    }

    [Fact]
    public void Relay_SharedTrace_EachLegRecordsOnItsOwnSide()
    {
        var trace = new Trace();
        var echo = EchoServer.Start(trace, Unique("echo"));
        var relay = Relay.Start(echo.EndPoint, Pieces.Fixed(4), trace, name: Unique("relay"));
        try
        {
            byte[] message = "two legs, one conversation"u8.ToArray();
            EchoClient.Exchange(relay.EndPoint, message, trace);
            int conn = trace.Events.Single(e => e.Side == Side.Client && e.Kind == TraceKind.Connect).Conn;
            int Moved(Side side, TraceKind kind) => trace.Events.Where(e => e.Side == side && e.Kind == kind && e.Conn == conn).Sum(e => e.Moved);

            // The leg facing the client accepted it; the leg facing the server connected to it; same id.
            Assert.Single(trace.Events, e => e.Side == Side.Relay && e.Kind == TraceKind.Accept && e.Conn == conn);
            Assert.Single(trace.Events, e => e.Side == Side.RelayToServer && e.Kind == TraceKind.Connect && e.Conn == conn);
            // Every byte crosses each leg once each way: read from the client on one, sent to the server on the other.
            Assert.Equal(message.Length, Moved(Side.Relay, TraceKind.Recv));
            Assert.Equal(message.Length, Moved(Side.RelayToServer, TraceKind.Send));
            Assert.Equal(message.Length, Moved(Side.RelayToServer, TraceKind.Recv));
            Assert.Equal(message.Length, Moved(Side.Relay, TraceKind.Send));
            Assert.All(trace.Sends(Side.RelayToServer), e => Assert.InRange(e.Moved, 1, 4));
            Assert.All(trace.Sends(Side.Relay), e => Assert.InRange(e.Moved, 1, 4));
        }
        finally
        {
            relay.Stop();
            echo.Stop();
        }
    }

    [Fact]
    public async Task Relay_ClientResets_ServerSeesTheReset()
    {
        var trace = new Trace();
        var echo = EchoServer.Start(trace, Unique("echo"));
        var relay = Relay.Start(echo.EndPoint, Pieces.Fixed(3), trace, name: Unique("relay"));
        try
        {
            var client = EchoClient.Connect(relay.EndPoint, trace);
            client.SendAll("hi"u8.ToArray());
            Assert.Equal("hi"u8.ToArray(), client.Receive(16));
            client.Abort(CloseReason.Done);

            var closed = await trace.WaitForAsync(e => e.Side == Side.Server && e.Kind == TraceKind.Close, s_wait);
            Assert.Equal(nameof(CloseReason.PeerReset), closed.Note);
        }
        finally
        {
            relay.Stop();
            echo.Stop();
        }
    }

    [Fact]
    public async Task Relay_UpstreamResets_ClientSeesTheReset()
    {
        var trace = new Trace();
        using var upstream = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        upstream.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        upstream.Listen();
        var relay = Relay.Start((IPEndPoint)upstream.LocalEndPoint!, Pieces.Fixed(3), trace, name: Unique("relay"));
        var client = EchoClient.Connect(relay.EndPoint, trace);
        try
        {
            using (var accepted = await upstream.AcceptAsync().WaitAsync(s_wait))
            {
                accepted.LingerState = new LingerOption(true, 0);
            }
            var error = Assert.Throws<SocketException>(() => client.Receive(16));
            Assert.Equal(SocketError.ConnectionReset, error.SocketErrorCode);
        }
        finally
        {
            client.Close();
            relay.Stop();
        }
    }

    [Fact]
    public void Relay_UpstreamRefuses_ClientSeesResetAndTheReasonIsRecorded()
    {
        var trace = new Trace();
        IPEndPoint nobody;
        using (var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
        {
            probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            nobody = (IPEndPoint)probe.LocalEndPoint!;
        }
        var relay = Relay.Start(nobody, Pieces.Fixed(3), trace, name: Unique("relay"));
        var client = EchoClient.Connect(relay.EndPoint, trace);
        try
        {
            var error = Assert.Throws<SocketException>(() => client.Receive(16));
            Assert.Equal(SocketError.ConnectionReset, error.SocketErrorCode);
            Assert.Contains(trace.Events, e => IsRelay(e.Side) && e.Kind == TraceKind.Error && e.Note.Contains("ConnectionRefused"));
            Assert.True(relay.IsRunning);
        }
        finally
        {
            client.Close();
            relay.Stop();
        }
    }

    [Fact]
    public async Task Relay_ManyConcurrentClientsInOneBytePieces_AllEchoedIntact()
    {
        const int clients = 100;
        using var upstream = new AsyncEcho();
        var relay = Relay.Start(upstream.EndPoint, Pieces.Fixed(1), name: Unique("relay"));
        try
        {
            var watch = System.Diagnostics.Stopwatch.StartNew();
            var exchanges = Enumerable.Range(0, clients).Select(async i =>
            {
                var message = Encoding.ASCII.GetBytes($"client {i:D3} says hello");
                using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                await socket.ConnectAsync(relay.EndPoint);
                await socket.SendAsync(message);
                socket.Shutdown(SocketShutdown.Send);
                return (message, echoed: await AsyncEcho.ReadToEndAsync(socket));
            }).ToArray();
            var results = await Task.WhenAll(exchanges).WaitAsync(TimeSpan.FromSeconds(30));
            output.WriteLine($"{clients} clients through a 1-byte relay: {watch.ElapsedMilliseconds} ms");

            Assert.All(results, r => Assert.Equal(r.message, r.echoed));
            // The relay's own trace shows it really cut every byte apart.
            Assert.All(relay.Trace.Sends().Where(e => IsRelay(e.Side)), e => Assert.Equal(1, e.Moved));
        }
        finally
        {
            relay.Stop();
        }
    }

    private static bool IsRelay(Side side) => side is Side.Relay or Side.RelayToServer;

    private static bool IsPacingNote(TraceEvent e) =>
        IsRelay(e.Side) && e.Kind == TraceKind.Error && e.Note.StartsWith("relay pacing", StringComparison.Ordinal);

    [Fact]
    public async Task Pacing_ServerNotInTheTrace_NoteRecordedForEachConnectionAndEchoStillWhole()
    {
        var trace = new Trace();
        using var upstream = new AsyncEcho();  // records nothing: the relay cannot see it read
        var relay = Relay.Start(upstream.EndPoint, Pieces.Fixed(2), trace, name: Unique("relay"));
        relay.PaceTimeout = TimeSpan.FromMilliseconds(200);
        try
        {
            var first = EchoClient.Connect(relay.EndPoint, trace);
            first.SendAll("first"u8.ToArray());
            first.Shutdown(SocketShutdown.Send);
            Assert.Equal("first"u8.ToArray(), EchoClient.ReadUntilClosed(first));
            first.Close();
            var second = EchoClient.Connect(relay.EndPoint, trace);
            second.SendAll("second"u8.ToArray());
            second.Shutdown(SocketShutdown.Send);
            Assert.Equal("second"u8.ToArray(), EchoClient.ReadUntilClosed(second));
            second.Close();
            foreach (var note in trace.Events.Where(IsPacingNote))
            {
                output.WriteLine($"conn {note.Conn}: {note.Note}");
            }
            // Giving up on one connection's server does not switch pacing off for the next one:
            // each decides (and says so) for itself.
            var notes = trace.Events.Where(e => IsPacingNote(e) && e.Note.Contains("server's")).ToArray();
            Assert.Equal([first.Conn, second.Conn], notes.Select(n => n.Conn));
            Assert.All(notes, n => Assert.Contains("glued", n.Note));
        }
        finally
        {
            relay.Stop();
        }
    }

    [Fact]
    public async Task Pacing_ServerShowsUpLate_PiecesArePacedAgain()
    {
        var trace = new Trace();
        var listener = TracedSocket.Tcp(trace, Side.Server);
        listener.Bind(IPAddress.Loopback, 0);
        listener.Listen();
        var relay = Relay.Start(listener.LocalEndPoint!, Pieces.Fixed(1), trace, name: Unique("relay"));
        relay.PaceTimeout = TimeSpan.FromMilliseconds(200);
        var client = EchoClient.Connect(relay.EndPoint, trace);
        TracedSocket? server = null;
        try
        {
            // Nobody has accepted yet, so the relay gives up waiting and sends every piece at once.
            client.SendAll("abcdef"u8.ToArray());
            await trace.WaitForAsync(IsPacingNote, s_wait);
            relay.PaceTimeout = s_wait;  // from here on, only a relay that stopped pacing would glue pieces
            server = listener.Accept();
            server.ReceiveTimeout = 5000;
            ReceiveExactly(server, 6);

            // The server is in the trace now: the relay waits for it again, one recv() per piece.
            client.SendAll("ghij"u8.ToArray());
            // Paced, the relay sends "g" and then waits for the server's recv(): no "h" while nobody reads.
            int relaySends = 0;
            await Assert.ThrowsAsync<TimeoutException>(() => trace.WaitForAsync(
                e => e.Side == Side.RelayToServer && e.Kind == TraceKind.Send && ++relaySends == 8, TimeSpan.FromMilliseconds(300)));
            ReceiveExactly(server, 4);

            var sizes = trace.Recvs(Side.Server).Where(e => e.Moved > 0).Select(e => e.Moved).ToArray();
            output.WriteLine($"server recv() sizes: {string.Join(", ", sizes)}");
            Assert.Equal([1, 1, 1, 1], sizes[^4..]);
            Assert.Single(trace.Events, IsPacingNote);
        }
        finally
        {
            server?.Close();
            client.Close();
            relay.Stop();
            listener.Close();
        }
    }

    [Fact]
    public async Task Pacing_ServerStopsReading_EachLatePieceNoted()
    {
        var trace = new Trace();
        var listener = TracedSocket.Tcp(trace, Side.Server);
        listener.Bind(IPAddress.Loopback, 0);
        listener.Listen();
        var relay = Relay.Start(listener.LocalEndPoint!, Pieces.Fixed(1), trace, name: Unique("relay"));
        relay.PaceTimeout = TimeSpan.FromMilliseconds(150);
        var client = EchoClient.Connect(relay.EndPoint, trace);
        var server = listener.Accept();  // in the trace, but never reads
        try
        {
            client.SendAll("xyz"u8.ToArray());
            int notes = 0;
            await trace.WaitForAsync(e => IsPacingNote(e) && ++notes == 3, s_wait);

            Assert.All(trace.Events.Where(IsPacingNote), n => Assert.Contains("had not read", n.Note));
            Assert.DoesNotContain(trace.Events, e => IsPacingNote(e) && e.Note.Contains("no call"));
        }
        finally
        {
            server.Close();
            client.Close();
            relay.Stop();
            listener.Close();
        }
    }

    private static void ReceiveExactly(TracedSocket socket, int count)
    {
        var buffer = new byte[64];
        for (int got = 0; got < count;)
        {
            int n = socket.Receive(buffer.AsSpan(0, count - got));
            Assert.NotEqual(0, n);
            got += n;
        }
    }

    [Fact]
    public void Stop_ListenerGone_ConnectIsRefusedAndNameIsFree()
    {
        string name = Unique("relay");
        var relay = Relay.Start(new IPEndPoint(IPAddress.Loopback, 9), Pieces.Fixed(1), name: name);
        var endPoint = relay.EndPoint;
        Assert.Contains(name, BackgroundServer.Running);

        relay.Stop();

        Assert.False(relay.IsRunning);
        Assert.DoesNotContain(name, BackgroundServer.Running);
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        var error = Assert.Throws<SocketException>(() => probe.Connect(endPoint));
        Assert.Equal(SocketError.ConnectionRefused, error.SocketErrorCode);
    }

    // An untraced echo server that serves every connection at once, to load the relay alone.
    private sealed class AsyncEcho : IDisposable
    {
        private readonly Socket _listener = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        private readonly CancellationTokenSource _stop = new();

        public AsyncEcho()
        {
            _listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            _listener.Listen(512);
            _ = AcceptLoopAsync();
        }

        public IPEndPoint EndPoint => (IPEndPoint)_listener.LocalEndPoint!;

        public static async Task<byte[]> ReadToEndAsync(Socket socket)
        {
            var all = new MemoryStream();
            var buffer = new byte[1024];
            int n;
            while ((n = await socket.ReceiveAsync(buffer)) > 0)
            {
                all.Write(buffer, 0, n);
            }
            return all.ToArray();
        }

        public void Dispose()
        {
            _stop.Cancel();
            _listener.Close();
            _stop.Dispose();
        }

        private async Task AcceptLoopAsync()
        {
            try
            {
                while (true)
                {
                    var connection = await _listener.AcceptAsync(_stop.Token);
                    _ = EchoAsync(connection);
                }
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                // Disposed: the test is over.
            }
        }

        private static async Task EchoAsync(Socket connection)
        {
            using (connection)
            {
                var buffer = new byte[1024];
                int n;
                while ((n = await connection.ReceiveAsync(buffer)) > 0)
                {
                    await connection.SendAsync(buffer.AsMemory(0, n));
                }
            }
        }
    }
}
