using System.Net;
using System.Net.Sockets;
using SocketsNotebooks.MultiConn;
using SocketsNotebooks.Selectors;
using SocketsNotebooks.Tracing;

namespace SocketsNotebooks.Tests.Selectors;

// What only the epoll selector has or does differently; the API both share is tested in SelectorTests.
public sealed class EpollSelectorTests
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(5);

    private static (Socket Listener, List<Socket> Clients, List<Socket> Served) Pairs(int count)
    {
        var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(count);
        var clients = new List<Socket>();
        var served = new List<Socket>();
        for (int i = 0; i < count; i++)
        {
            var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            client.Connect(listener.LocalEndPoint!);
            clients.Add(client);
            served.Add(listener.Accept());
        }
        return (listener, clients, served);
    }

    private static void Dispose(Socket listener, IEnumerable<Socket> sockets)
    {
        foreach (var socket in sockets)
        {
            socket.Dispose();
        }
        listener.Dispose();
    }

    [Fact]
    public void IsSupported_OnLinux_TrueAndCreateMakesOne()
    {
        Assert.Equal(OperatingSystem.IsLinux(), EpollSelector.IsSupported);
        if (EpollSelector.IsSupported)
        {
            using var selector = BaseSelector.Create(SelectorKind.Epoll);
            Assert.IsType<EpollSelector>(selector);
        }
        else
        {
            Assert.Throws<PlatformNotSupportedException>(() => new EpollSelector());
        }
    }

    [LinuxFact]
    public void Select_ThousandRegisteredThreeReady_ReportsExactlyTheThree()
    {
        var (listener, clients, served) = Pairs(1000);
        try
        {
            using var selector = new EpollSelector();
            for (int i = 0; i < served.Count; i++)
            {
                selector.Register(served[i], SelectorEvents.Read, i);
            }
            int[] talking = [3, 500, 999];
            foreach (int i in talking)
            {
                clients[i].Send([42]);
                Assert.True(served[i].Poll(2_000_000, SelectMode.SelectRead));
            }

            var ready = selector.Select(s_wait);

            Assert.Equal(talking, ready.Select(r => (int)r.Key.Data!).Order());
            Assert.All(ready, r => Assert.Equal(SelectorEvents.Read, r.Mask));
        }
        finally
        {
            Dispose(listener, [.. clients, .. served]);
        }
    }

    [LinuxFact]
    public async Task Wake_FromAnotherThread_EndsAWaitThatHadNoTimeout()
    {
        var (listener, clients, served) = Pairs(1);
        try
        {
            using var selector = new EpollSelector();
            selector.Register(served[0], SelectorEvents.Read);
            var waiting = Task.Factory.StartNew(() => selector.Select(null), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

            selector.Wake();

            Assert.Empty(await waiting.WaitAsync(s_wait));
        }
        finally
        {
            Dispose(listener, [.. clients, .. served]);
        }
    }

    [LinuxFact]
    public void Unregister_SocketClosedFirst_NoErrorAndNotReported()
    {
        var (listener, clients, served) = Pairs(2);
        try
        {
            using var selector = new EpollSelector();
            selector.Register(served[0], SelectorEvents.Read);
            selector.Register(served[1], SelectorEvents.Read);
            served[0].Dispose();

            selector.Unregister(served[0]);
            clients[1].Send([1]);

            var (key, _) = Assert.Single(selector.Select(s_wait));
            Assert.Same(served[1], key.Socket);
        }
        finally
        {
            Dispose(listener, [.. clients, .. served]);
        }
    }

    [LinuxFact]
    public void Dispose_ThenSelect_ThrowsObjectDisposed_MapStillReadable()
    {
        var (listener, clients, served) = Pairs(1);
        try
        {
            var selector = new EpollSelector();
            selector.Register(served[0], SelectorEvents.Read);

            selector.Dispose();

            Assert.Throws<ObjectDisposedException>(() => selector.Select(TimeSpan.Zero));
            Assert.Single(selector.Keys);
            selector.Wake(); // nothing left to wake, and no exception
        }
        finally
        {
            Dispose(listener, [.. clients, .. served]);
        }
    }

    [LinuxFact]
    public async Task MultiConnServer_OnEpollWithoutSelectTimeout_StopEndsTheLoop()
    {
        var trace = new Trace();
        // No timeout: only the wake-up can end the wait, so a Stop that returns with the loop done proves it.
        var server = MultiConnServer.Start(trace, new MultiConnServerOptions { Selector = SelectorKind.Epoll, SelectTimeout = null },
            nameof(MultiConnServer_OnEpollWithoutSelectTimeout_StopEndsTheLoop));
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveTimeout = 5000 };
        client.Connect(server.EndPoint);
        client.Send("hi"u8);
        var buffer = new byte[2];
        Assert.Equal(2, client.Receive(buffer));

        server.Stop();

        Assert.False(server.IsRunning);
        Assert.DoesNotContain(trace.Events, e => e.Kind == TraceKind.Error && e.Note.Contains("did not end", StringComparison.Ordinal));
        await trace.WaitForAsync(e => e.Side == Side.Server && e.Kind == TraceKind.Close && e.Note == nameof(CloseReason.Stopped) && e.Conn != 0, s_wait);
    }
}
