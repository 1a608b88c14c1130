using System.Net;
using System.Net.Sockets;
using SocketsNotebooks.Selectors;
using SocketsNotebooks.Tracing;

namespace SocketsNotebooks.Tests.Selectors;

// Every test runs on both selectors: the same API must behave the same on Socket.Select and on epoll.
public sealed class SelectorTests
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(2);

    public static TheoryData<SelectorKind> Kinds => EpollSelector.IsSupported ? [SelectorKind.Select, SelectorKind.Epoll] : [SelectorKind.Select];

    private static Socket Listener()
    {
        var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(8);
        return listener;
    }

    private static (Socket Client, Socket Server) Pair(Socket listener)
    {
        var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        client.Connect(listener.LocalEndPoint!);
        return (client, listener.Accept());
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Register_ThenGetMap_HasKeyWithEventsAndData(SelectorKind kind)
    {
        using var listener = Listener();
        using var selector = BaseSelector.Create(kind);

        var key = selector.Register(listener, SelectorEvents.Read, "listener");

        Assert.Same(listener, key.FileObj);
        Assert.Equal(SelectorEvents.Read, key.Events);
        Assert.Equal("listener", key.Data);
        Assert.Same(key, selector.GetMap()[listener]);
        Assert.Equal(1, selector.Count);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Register_Twice_Throws(SelectorKind kind)
    {
        using var listener = Listener();
        using var selector = BaseSelector.Create(kind);
        selector.Register(listener, SelectorEvents.Read);

        Assert.Throws<InvalidOperationException>(() => selector.Register(listener, SelectorEvents.Write));
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Register_NoEvents_Throws(SelectorKind kind)
    {
        using var listener = Listener();
        using var selector = BaseSelector.Create(kind);
        Assert.Throws<ArgumentOutOfRangeException>(() => selector.Register(listener, SelectorEvents.None));
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Modify_ChangesEventsAndData(SelectorKind kind)
    {
        using var listener = Listener();
        using var selector = BaseSelector.Create(kind);
        selector.Register(listener, SelectorEvents.Read, 1);

        var key = selector.Modify(listener, SelectorEvents.Read | SelectorEvents.Write, 2);

        Assert.Equal(SelectorEvents.Read | SelectorEvents.Write, selector.GetMap()[listener].Events);
        Assert.Equal(2, key.Data);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void ModifyKey_KeepsData(SelectorKind kind)
    {
        using var listener = Listener();
        using var selector = BaseSelector.Create(kind);
        var key = selector.Register(listener, SelectorEvents.Read, "state");

        var modified = selector.Modify(key, SelectorEvents.Write);

        Assert.Equal("state", modified.Data);
        Assert.Equal(SelectorEvents.Write, modified.Events);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Unregister_RemovesKey_AndUnknownThrows(SelectorKind kind)
    {
        using var listener = Listener();
        using var selector = BaseSelector.Create(kind);
        selector.Register(listener, SelectorEvents.Read);

        selector.Unregister(listener);

        Assert.Equal(0, selector.Count);
        Assert.Throws<KeyNotFoundException>(() => selector.Unregister(listener));
        Assert.Throws<KeyNotFoundException>(() => selector.Modify(listener, SelectorEvents.Read));
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Select_NothingReady_ReturnsEmptyAfterTimeout(SelectorKind kind)
    {
        using var listener = Listener();
        using var selector = BaseSelector.Create(kind);
        selector.Register(listener, SelectorEvents.Read);

        Assert.Empty(selector.Select(TimeSpan.FromMilliseconds(20)));
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Select_EmptySelector_WaitsTheTimeoutInsteadOfThrowing(SelectorKind kind)
    {
        using var selector = BaseSelector.Create(kind);
        var clock = System.Diagnostics.Stopwatch.StartNew();

        Assert.Empty(selector.Select(TimeSpan.FromMilliseconds(30)));
        Assert.True(clock.ElapsedMilliseconds >= 25, $"returned after {clock.ElapsedMilliseconds} ms");
        Assert.Throws<InvalidOperationException>(() => selector.Select(null));
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Select_PendingConnection_ListenerReadable(SelectorKind kind)
    {
        using var listener = Listener();
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        using var selector = BaseSelector.Create(kind);
        selector.Register(listener, SelectorEvents.Read, "listener");
        client.Connect(listener.LocalEndPoint!);

        var ready = selector.Select(s_wait);

        var (key, mask) = Assert.Single(ready);
        Assert.Equal("listener", key.Data);
        Assert.Equal(SelectorEvents.Read, mask);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Select_ReadWrite_BothInOneMask(SelectorKind kind)
    {
        using var listener = Listener();
        var (client, server) = Pair(listener);
        try
        {
            using var selector = BaseSelector.Create(kind);
            selector.Register(server, SelectorEvents.Read | SelectorEvents.Write);
            client.Send("hi"u8);
            // Wait until the bytes are there, so one Select sees both readiness kinds.
            Assert.True(server.Poll(2_000_000, SelectMode.SelectRead));

            var (_, mask) = Assert.Single(selector.Select(s_wait));

            Assert.Equal(SelectorEvents.Read | SelectorEvents.Write, mask);
        }
        finally
        {
            client.Close();
            server.Close();
        }
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Select_WriteOnlyIdleConnection_WritableButNotReadable(SelectorKind kind)
    {
        using var listener = Listener();
        var (client, server) = Pair(listener);
        try
        {
            using var selector = BaseSelector.Create(kind);
            selector.Register(server, SelectorEvents.Read);
            Assert.Empty(selector.Select(TimeSpan.FromMilliseconds(20)));

            selector.Modify(server, SelectorEvents.Write);
            var (_, mask) = Assert.Single(selector.Select(s_wait));

            Assert.Equal(SelectorEvents.Write, mask);
        }
        finally
        {
            client.Close();
            server.Close();
        }
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Select_TracedSocket_KeyCarriesTracedSocket(SelectorKind kind)
    {
        var trace = new Trace();
        using var listener = TracedSocket.Tcp(trace, Side.Server);
        listener.Bind(IPAddress.Loopback, 0);
        listener.Listen();
        using var client = TracedSocket.Tcp(trace, Side.Client);
        using var selector = BaseSelector.Create(kind);
        selector.Register(listener, SelectorEvents.Read);
        client.Connect(listener.LocalEndPoint!);

        var (key, _) = Assert.Single(selector.Select(s_wait));

        Assert.Same(listener, key.Traced);
        Assert.Same(listener, selector.GetMap()[listener].FileObj);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void ConnectEx_NonBlocking_InProgressThenWritableThenConnected(SelectorKind kind)
    {
        var trace = new Trace();
        using var listener = TracedSocket.Tcp(trace, Side.Server);
        listener.Bind(IPAddress.Loopback, 0);
        listener.Listen();
        using var client = TracedSocket.Tcp(trace, Side.Client);
        client.Blocking = false;

        var started = client.ConnectEx(listener.LocalEndPoint!);
        using var selector = BaseSelector.Create(kind);
        selector.Register(client, SelectorEvents.Write);
        var (_, mask) = Assert.Single(selector.Select(s_wait));

        Assert.Contains(started, new[] { SocketError.WouldBlock, SocketError.InProgress, SocketError.Success });
        Assert.Equal(SelectorEvents.Write, mask);
        Assert.Equal(SocketError.Success, client.FinishConnect());
        Assert.NotEqual(0, client.Conn);
        Assert.Contains(trace.Events, e => e.Kind == TraceKind.Connect && e.Conn == client.Conn);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void ConnectEx_NobodyListening_FinishConnectReportsRefused(SelectorKind kind)
    {
        var trace = new Trace();
        EndPoint dead;
        using (var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
        {
            probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            dead = probe.LocalEndPoint!;
        }
        using var client = TracedSocket.Tcp(trace, Side.Client);
        client.Blocking = false;

        var started = client.ConnectEx(dead);
        using var selector = BaseSelector.Create(kind);
        selector.Register(client, SelectorEvents.Write);
        Assert.Single(selector.Select(s_wait));

        var outcome = started == SocketError.ConnectionRefused ? started : client.FinishConnect();
        Assert.Equal(SocketError.ConnectionRefused, outcome);
        Assert.Contains(trace.Events, e => e.Kind == TraceKind.Error && e.Note.Contains("ConnectionRefused"));
    }
}
