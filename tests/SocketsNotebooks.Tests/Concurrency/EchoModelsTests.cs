using System.Net;
using System.Net.Sockets;
using System.Text;
using SocketsNotebooks.Concurrency;
using SocketsNotebooks.Hosting;
using SocketsNotebooks.Selectors;
using SocketsNotebooks.Tracing;
using Xunit.Abstractions;
using Trace = SocketsNotebooks.Tracing.Trace;

namespace SocketsNotebooks.Tests.Concurrency;

// The same tests for every model of notebook 06: the same service, five ways of serving it.
public sealed class EchoModelsTests(ITestOutputHelper output)
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(5);

    public static TheoryData<ConcurrencyModel> Models => [.. EchoModels.All];

    private static Socket Connect(BackgroundServer server)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveTimeout = 5000, SendTimeout = 5000 };
        socket.Connect(server.EndPoint);
        return socket;
    }

    private static byte[] ReceiveExactly(Socket socket, int count)
    {
        var buffer = new byte[count];
        for (int got = 0; got < count;)
        {
            int n = socket.Receive(buffer, got, count - got, SocketFlags.None);
            Assert.True(n > 0, $"FIN after {got} of {count} bytes");
            got += n;
        }
        return buffer;
    }

    private static string Name(ConcurrencyModel model, string test) => $"{test}-{model}";

    [Theory]
    [MemberData(nameof(Models))]
    public void Server_ManyClients_EachGetsItsOwnBytesBack(ConcurrencyModel model)
    {
        var server = EchoModels.Start(model, new Trace(), Name(model, nameof(Server_ManyClients_EachGetsItsOwnBytesBack)));
        var clients = new List<Socket>();
        try
        {
            // The blocking server answers one client at a time, so its clients take turns; every
            // other model has all of them connected at once before anyone speaks.
            int count = model == ConcurrencyModel.Blocking ? 20 : 200;
            byte[] MessageOf(int i) => Encoding.ASCII.GetBytes($"client {i}: " + new string((char)('a' + i % 26), 10 + i % 2000));
            if (model == ConcurrencyModel.Blocking)
            {
                for (int i = 0; i < count; i++)
                {
                    using var client = Connect(server);
                    client.Send(MessageOf(i));
                    Assert.Equal(MessageOf(i), ReceiveExactly(client, MessageOf(i).Length));
                }
                return;
            }
            for (int i = 0; i < count; i++)
            {
                clients.Add(Connect(server));
            }
            for (int i = 0; i < count; i++)
            {
                clients[i].Send(MessageOf(i));
            }
            for (int i = 0; i < count; i++)
            {
                Assert.Equal(MessageOf(i), ReceiveExactly(clients[i], MessageOf(i).Length));
            }
        }
        finally
        {
            clients.ForEach(c => c.Dispose());
            server.Stop();
        }
    }

    [Theory]
    [MemberData(nameof(Models))]
    public async Task Server_ClientResets_ClosedAsPeerResetAndTheNextClientIsServed(ConcurrencyModel model)
    {
        var trace = new Trace();
        var server = EchoModels.Start(model, trace, Name(model, nameof(Server_ClientResets_ClosedAsPeerResetAndTheNextClientIsServed)));
        try
        {
            // The rude client comes first: even the blocking server must get past it.
            using (var rude = Connect(server))
            {
                rude.Send(new byte[5000]);
                var accepted = await trace.WaitForAsync(e => e.Side == Side.Server && e.Kind == TraceKind.Accept && e.Note == $"from {rude.LocalEndPoint}", s_wait);
                // Linger 0: close sends RST instead of FIN, like a crashed peer.
                rude.LingerState = new LingerOption(true, 0);
                rude.Close();
                await trace.WaitForAsync(e => e.Conn == accepted.Conn && e.Side == Side.Server && e.Kind == TraceKind.Close && e.Note == nameof(CloseReason.PeerReset), s_wait);
            }
            using var good = Connect(server);

            good.Send("after the reset"u8);

            Assert.Equal("after the reset"u8.ToArray(), ReceiveExactly(good, 15));
            Assert.True(server.IsRunning);
            Assert.Null(server.Failure);
        }
        finally
        {
            server.Stop();
        }
    }

    [Theory]
    [MemberData(nameof(Models))]
    public async Task Server_ClientHalfCloses_GetsTheWholeEchoThenFin(ConcurrencyModel model)
    {
        var trace = new Trace();
        var server = EchoModels.Start(model, trace, Name(model, nameof(Server_ClientHalfCloses_GetsTheWholeEchoThenFin)));
        try
        {
            using var client = Connect(server);
            var payload = new byte[200_000];
            new Random(7).NextBytes(payload);
            // Sent from another task while this one reads: a server that echoes as it reads could
            // otherwise fill both directions' buffers and wait for a reader that is still sending.
            var sending = Task.Run(() =>
            {
                client.Send(payload);
                client.Shutdown(SocketShutdown.Send); // FIN: nothing more from us, but we still read
            });

            Assert.Equal(payload, ReceiveExactly(client, payload.Length));
            Assert.Equal(0, client.Receive(new byte[1]));
            await sending.WaitAsync(s_wait);
            await trace.WaitForAsync(e => e.Side == Side.Server && e.Kind == TraceKind.Close && e.Note == nameof(CloseReason.PeerClosed), s_wait);
        }
        finally
        {
            server.Stop();
        }
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void Stop_ClientsConnected_TheyAreClosedAndNoListenerIsLeft(ConcurrencyModel model)
    {
        var server = EchoModels.Start(model, null, Name(model, nameof(Stop_ClientsConnected_TheyAreClosedAndNoListenerIsLeft)));
        var endPoint = server.EndPoint;
        var clients = Enumerable.Range(0, 5).Select(_ => Connect(server)).ToList();
        try
        {
            clients[0].Send("x"u8);
            Assert.Equal("x"u8.ToArray(), ReceiveExactly(clients[0], 1));

            server.Stop();

            Assert.False(server.IsRunning);
            Assert.DoesNotContain(server.Name, BackgroundServer.Running);
            foreach (var client in clients)
            {
                // Closed by the server (FIN), or reset (never accepted: the listener went away).
                try
                {
                    Assert.Equal(0, client.Receive(new byte[1]));
                }
                catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionReset)
                {
                }
            }
            using var late = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            var refused = Assert.Throws<SocketException>(() => late.Connect(endPoint));
            Assert.Equal(SocketError.ConnectionRefused, refused.SocketErrorCode);
            if (server is ThreadPerConnectionEchoServer threads)
            {
                Assert.Equal(0, threads.Threads);
            }
            if (server is EchoModelServer counted)
            {
                output.WriteLine(counted.ToString());
                Assert.Equal(0, counted.OpenConnections);
            }
        }
        finally
        {
            clients.ForEach(c => c.Dispose());
            server.Stop();
        }
    }

    [Theory]
    [InlineData(ConcurrencyModel.Blocking)]
    [InlineData(ConcurrencyModel.Threads)]
    [InlineData(ConcurrencyModel.Async)]
    public void Server_WithoutTrace_RecordsNoCall_WithTraceRecordsEach(ConcurrencyModel model)
    {
        foreach (var traced in new[] { false, true })
        {
            var server = (EchoModelServer)EchoModels.Start(model, traced ? new Trace() : null, Name(model, nameof(Server_WithoutTrace_RecordsNoCall_WithTraceRecordsEach)));
            int recorded = 0;
            server.Trace.Recorded += _ => Interlocked.Increment(ref recorded);
            try
            {
                using (var client = Connect(server))
                {
                    client.Send("count me"u8);
                    ReceiveExactly(client, 8);
                }
                Assert.Equal(traced, server.IsTraced);
                if (traced)
                {
                    Assert.Contains(server.Trace.Events, e => e.Side == Side.Server && e.Kind == TraceKind.Recv && e.Preview == "b'count me'");
                }
                else
                {
                    Assert.Equal(0, Volatile.Read(ref recorded));
                }
            }
            finally
            {
                server.Stop();
            }
        }
    }

    [Theory]
    [InlineData(ConcurrencyModel.Select, SelectorKind.Select)]
    [InlineData(ConcurrencyModel.Epoll, SelectorKind.Epoll)]
    public void Start_SelectLoopModels_AreNotebook02sServerOnTheirSelector(ConcurrencyModel model, SelectorKind kind)
    {
        if (kind == SelectorKind.Epoll && !EpollSelector.IsSupported)
        {
            return;
        }
        var server = Assert.IsType<SocketsNotebooks.MultiConn.MultiConnServer>(EchoModels.Start(model, name: Name(model, nameof(Start_SelectLoopModels_AreNotebook02sServerOnTheirSelector))));
        server.Stop();

        Assert.Equal(kind, server.Options.Selector);
    }

    [Theory]
    [InlineData(ConcurrencyModel.Select, SelectorKind.Select)]
    [InlineData(ConcurrencyModel.Epoll, SelectorKind.Epoll)]
    public void Start_SelectLoopModelWithOptions_RunsThemOnTheModelsSelector(ConcurrencyModel model, SelectorKind kind)
    {
        if (kind == SelectorKind.Epoll && !EpollSelector.IsSupported)
        {
            return;
        }
        // The options name the other selector: the model decides.
        var options = new SocketsNotebooks.MultiConn.MultiConnServerOptions { SendAtOnce = true, Selector = kind == SelectorKind.Select ? SelectorKind.Epoll : SelectorKind.Select };
        var server = Assert.IsType<SocketsNotebooks.MultiConn.MultiConnServer>(EchoModels.Start(model, name: Name(model, nameof(Start_SelectLoopModelWithOptions_RunsThemOnTheModelsSelector)), options: options));
        try
        {
            using var client = Connect(server);
            client.Send("at once"u8);
            Assert.Equal("at once"u8.ToArray(), ReceiveExactly(client, 7));
            Assert.Equal((kind, true), (server.Options.Selector, server.Options.SendAtOnce));
        }
        finally
        {
            server.Stop();
        }
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void Start_EndPointGiven_ListensThereAndEchoes(ConcurrencyModel model)
    {
        // ::1, not 127.0.0.1: an address other than the default shows the endpoint was used.
        if (!Socket.OSSupportsIPv6)
        {
            return;
        }
        var server = EchoModels.Start(model, name: Name(model, nameof(Start_EndPointGiven_ListensThereAndEchoes)), endPoint: new IPEndPoint(IPAddress.IPv6Loopback, 0));
        try
        {
            Assert.Equal(IPAddress.IPv6Loopback, server.EndPoint.Address);
            using var client = new Socket(AddressFamily.InterNetworkV6, SocketType.Stream, ProtocolType.Tcp) { ReceiveTimeout = 5000, SendTimeout = 5000 };
            client.Connect(server.EndPoint);
            client.Send("over ::1"u8);
            Assert.Equal("over ::1", Encoding.ASCII.GetString(ReceiveExactly(client, 8)));
        }
        finally
        {
            server.Stop();
        }
    }
}
