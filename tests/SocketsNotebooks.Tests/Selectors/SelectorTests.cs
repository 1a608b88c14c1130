using System.Net;
using System.Net.Sockets;
using SocketsNotebooks.Selectors;
using SocketsNotebooks.Tracing;

namespace SocketsNotebooks.Tests.Selectors;

public sealed class SelectorTests
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(2);

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

    [Fact]
    public void Register_ThenGetMap_HasKeyWithEventsAndData()
    {
        using var listener = Listener();
        var selector = new Selector();

        var key = selector.Register(listener, SelectorEvents.Read, "listener");

        Assert.Same(listener, key.FileObj);
        Assert.Equal(SelectorEvents.Read, key.Events);
        Assert.Equal("listener", key.Data);
        Assert.Same(key, selector.GetMap()[listener]);
        Assert.Equal(1, selector.Count);
    }

    [Fact]
    public void Register_Twice_Throws()
    {
        using var listener = Listener();
        var selector = new Selector();
        selector.Register(listener, SelectorEvents.Read);

        Assert.Throws<InvalidOperationException>(() => selector.Register(listener, SelectorEvents.Write));
    }

    [Fact]
    public void Register_NoEvents_Throws()
    {
        using var listener = Listener();
        Assert.Throws<ArgumentOutOfRangeException>(() => new Selector().Register(listener, SelectorEvents.None));
    }

    [Fact]
    public void Modify_ChangesEventsAndData()
    {
        using var listener = Listener();
        var selector = new Selector();
        selector.Register(listener, SelectorEvents.Read, 1);

        var key = selector.Modify(listener, SelectorEvents.Read | SelectorEvents.Write, 2);

        Assert.Equal(SelectorEvents.Read | SelectorEvents.Write, selector.GetMap()[listener].Events);
        Assert.Equal(2, key.Data);
    }

    [Fact]
    public void ModifyKey_KeepsData()
    {
        using var listener = Listener();
        var selector = new Selector();
        var key = selector.Register(listener, SelectorEvents.Read, "state");

        var modified = selector.Modify(key, SelectorEvents.Write);

        Assert.Equal("state", modified.Data);
        Assert.Equal(SelectorEvents.Write, modified.Events);
    }

    [Fact]
    public void Unregister_RemovesKey_AndUnknownThrows()
    {
        using var listener = Listener();
        var selector = new Selector();
        selector.Register(listener, SelectorEvents.Read);

        selector.Unregister(listener);

        Assert.Equal(0, selector.Count);
        Assert.Throws<KeyNotFoundException>(() => selector.Unregister(listener));
        Assert.Throws<KeyNotFoundException>(() => selector.Modify(listener, SelectorEvents.Read));
    }

    [Fact]
    public void Select_NothingReady_ReturnsEmptyAfterTimeout()
    {
        using var listener = Listener();
        var selector = new Selector();
        selector.Register(listener, SelectorEvents.Read);

        Assert.Empty(selector.Select(TimeSpan.FromMilliseconds(20)));
    }

    [Fact]
    public void Select_EmptySelector_WaitsTheTimeoutInsteadOfThrowing()
    {
        var selector = new Selector();
        var clock = System.Diagnostics.Stopwatch.StartNew();

        Assert.Empty(selector.Select(TimeSpan.FromMilliseconds(30)));
        Assert.True(clock.ElapsedMilliseconds >= 25, $"returned after {clock.ElapsedMilliseconds} ms");
        Assert.Throws<InvalidOperationException>(() => selector.Select(null));
    }

    [Fact]
    public void Select_PendingConnection_ListenerReadable()
    {
        using var listener = Listener();
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        var selector = new Selector();
        selector.Register(listener, SelectorEvents.Read, "listener");
        client.Connect(listener.LocalEndPoint!);

        var ready = selector.Select(s_wait);

        var (key, mask) = Assert.Single(ready);
        Assert.Equal("listener", key.Data);
        Assert.Equal(SelectorEvents.Read, mask);
    }

    [Fact]
    public void Select_ReadWrite_BothInOneMask()
    {
        using var listener = Listener();
        var (client, server) = Pair(listener);
        try
        {
            var selector = new Selector();
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

    [Fact]
    public void Select_WriteOnlyIdleConnection_WritableButNotReadable()
    {
        using var listener = Listener();
        var (client, server) = Pair(listener);
        try
        {
            var selector = new Selector();
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

    [Fact]
    public void Select_TracedSocket_KeyCarriesTracedSocket()
    {
        var trace = new Trace();
        using var listener = TracedSocket.Tcp(trace, Side.Server);
        listener.Bind(IPAddress.Loopback, 0);
        listener.Listen();
        using var client = TracedSocket.Tcp(trace, Side.Client);
        var selector = new Selector();
        selector.Register(listener, SelectorEvents.Read);
        client.Connect(listener.LocalEndPoint!);

        var (key, _) = Assert.Single(selector.Select(s_wait));

        Assert.Same(listener, key.Traced);
        Assert.Same(listener, selector.GetMap()[listener].FileObj);
    }

    [Fact]
    public void ConnectEx_NonBlocking_InProgressThenWritableThenConnected()
    {
        var trace = new Trace();
        using var listener = TracedSocket.Tcp(trace, Side.Server);
        listener.Bind(IPAddress.Loopback, 0);
        listener.Listen();
        using var client = TracedSocket.Tcp(trace, Side.Client);
        client.Blocking = false;

        var started = client.ConnectEx(listener.LocalEndPoint!);
        var selector = new Selector();
        selector.Register(client, SelectorEvents.Write);
        var (_, mask) = Assert.Single(selector.Select(s_wait));

        Assert.Contains(started, new[] { SocketError.WouldBlock, SocketError.InProgress, SocketError.Success });
        Assert.Equal(SelectorEvents.Write, mask);
        Assert.Equal(SocketError.Success, client.FinishConnect());
        Assert.NotEqual(0, client.Conn);
        Assert.Contains(trace.Events, e => e.Kind == TraceKind.Connect && e.Conn == client.Conn);
    }

    [Fact]
    public void ConnectEx_NobodyListening_FinishConnectReportsRefused()
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
        var selector = new Selector();
        selector.Register(client, SelectorEvents.Write);
        Assert.Single(selector.Select(s_wait));

        var outcome = started == SocketError.ConnectionRefused ? started : client.FinishConnect();
        Assert.Equal(SocketError.ConnectionRefused, outcome);
        Assert.Contains(trace.Events, e => e.Kind == TraceKind.Error && e.Note.Contains("ConnectionRefused"));
    }
}
