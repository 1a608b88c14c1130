using System.Net;
using System.Net.Sockets;
using SocketsNotebooks.Tracing;

namespace SocketsNotebooks.Tests.Tracing;

public sealed class TracedSocketTests : IDisposable
{
    private readonly Trace _trace = new();
    private readonly TracedSocket _listener;
    private readonly TracedSocket _client;
    private readonly TracedSocket _server;

    // Every test gets one connected pair on loopback, recorded in one trace.
    public TracedSocketTests()
    {
        _listener = TracedSocket.Tcp(_trace, Side.Server);
        _listener.Bind(IPAddress.Loopback, 0);
        _listener.Listen();
        _client = TracedSocket.Tcp(_trace, Side.Client);
        _client.ReceiveTimeout = 5000;
        _client.Connect(_listener.LocalEndPoint!);
        _server = _listener.Accept();
        _server.ReceiveTimeout = 5000;
    }

    public void Dispose()
    {
        _client.Close();
        _server.Close();
        _listener.Close();
    }

    [Fact]
    public void ConnectAndAccept_BothEnds_ShareOneConnIdAndRecordTheirCalls()
    {
        Assert.NotEqual(0, _client.Conn);
        Assert.Equal(_client.Conn, _server.Conn);
        var kinds = _trace.Events.Select(e => (e.Side, e.Kind)).ToArray();
        Assert.Contains((Side.Server, TraceKind.Listen), kinds);
        Assert.Contains((Side.Client, TraceKind.Connect), kinds);
        Assert.Contains((Side.Server, TraceKind.Accept), kinds);
        Assert.Equal(0, _trace.Events.Single(e => e.Kind == TraceKind.Listen).Conn);
    }

    [Fact]
    public void SendThenReceive_RecordsAskedAndMovedBytes()
    {
        Assert.Equal(5, _client.Send("hello"u8.ToArray()));
        var buffer = new byte[1024];
        int received = _server.Receive(buffer);

        Assert.Equal(5, received);
        var send = Assert.Single(_trace.Sends(Side.Client));
        Assert.Equal((5, 5, "b'hello'"), (send.Asked, send.Moved, send.Preview));
        var recv = Assert.Single(_trace.Recvs(Side.Server));
        Assert.Equal((1024, 5, "b'hello'", _client.Conn), (recv.Asked, recv.Moved, recv.Preview, recv.Conn));
    }

    [Fact]
    public void ReceiveBufferSize_LikePythonRecv_ReturnsOnlyWhatArrived()
    {
        _client.SendAll("ab"u8.ToArray());
        Assert.Equal("ab"u8.ToArray(), _server.Receive(1024));
    }

    [Fact]
    public void Shutdown_PeerReceivesZeroBytesAndCanStillAnswer()
    {
        _client.Shutdown(SocketShutdown.Send);
        Assert.Equal(0, _server.Receive(new byte[16]));
        _server.SendAll("still here"u8.ToArray());

        Assert.Equal("still here"u8.ToArray(), _client.Receive(64));
        Assert.Equal("Send", _trace.Events.Single(e => e.Kind == TraceKind.Shutdown).Note);
        Assert.Equal(0, _trace.Recvs(Side.Server).Single().Moved);
    }

    [Fact]
    public void Receive_NothingArrivesWithinTimeout_RecordsErrorAndThrows()
    {
        _client.ReceiveTimeout = 50;
        var error = Assert.Throws<SocketException>(() => _client.Receive(new byte[16]));
        Assert.Equal(SocketError.TimedOut, error.SocketErrorCode);
        Assert.StartsWith("TimedOut", _trace.Events.Single(e => e.Kind == TraceKind.Error).Note);
    }

    [Fact]
    public void SendWithErrorCode_NonBlockingAndPeerNotReading_ReportsWouldBlockWithoutThrowing()
    {
        _server.Blocking = false;
        var chunk = new byte[64 * 1024];
        SocketError error = SocketError.Success;
        int sent = -1, calls = 0;
        // Until both ends' buffers are full; bounded so a bug cannot loop for ever.
        while (error == SocketError.Success && calls++ < 10_000)
        {
            sent = _server.Send(chunk, SocketFlags.None, out error);
        }

        Assert.Equal((SocketError.WouldBlock, 0), (error, sent));
        Assert.Equal(calls - 1, _trace.Sends(Side.Server).Count(e => e.Moved > 0));
        Assert.StartsWith("WouldBlock", _trace.Events.Single(e => e.Kind == TraceKind.Error).Note);
    }

    [Fact]
    public async Task Close_FromTwoThreadsAtOnce_RecordedOnce()
    {
        using var start = new Barrier(2);
        var closers = Enumerable.Range(0, 2).Select(i => Task.Factory.StartNew(() =>
        {
            start.SignalAndWait();
            _server.Close(i == 0 ? CloseReason.Done : CloseReason.Stopped);
        }, TaskCreationOptions.LongRunning)).ToArray();
        await Task.WhenAll(closers).WaitAsync(TimeSpan.FromSeconds(5));

        Assert.True(_server.IsClosed);
        Assert.Single(_trace.Events, e => e.Kind == TraceKind.Close && e.Side == Side.Server && e.Conn == _server.Conn);
    }

    [Fact]
    public void Abort_PeerGetsConnectionReset()
    {
        _server.Abort(CloseReason.Done, "test reset");
        var error = Assert.Throws<SocketException>(() => _client.Receive(new byte[16]));
        Assert.Equal(SocketError.ConnectionReset, error.SocketErrorCode);
        Assert.Contains(_trace.Events, e => e.Kind == TraceKind.Error && e.Note == "Done: test reset");
        Assert.Contains(_trace.Events, e => e.Kind == TraceKind.Close && e.Note == nameof(CloseReason.Done));
    }

    [Fact]
    public async Task ReceiveAsync_Cancelled_StopsWaiting()
    {
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => _client.ReceiveAsync(new byte[16], cancel.Token).WaitAsync(TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task SendAllAsyncAndReceiveAsync_MoveEveryByteInOrder()
    {
        var data = Enumerable.Range(0, 100_000).Select(i => (byte)i).ToArray();
        var sending = _client.SendAllAsync(data);
        var received = new MemoryStream();
        var buffer = new byte[4096];
        while (received.Length < data.Length)
        {
            int n = await _server.ReceiveAsync(buffer).WaitAsync(TimeSpan.FromSeconds(5));
            received.Write(buffer, 0, n);
        }
        await sending.WaitAsync(TimeSpan.FromSeconds(5));

        Assert.Equal(data, received.ToArray());
        Assert.Equal(data.Length, _trace.Sends(Side.Client).Sum(e => e.Moved));
        Assert.Equal(data.Length, _trace.Recvs(Side.Server).Sum(e => e.Moved));
        Assert.All(_trace.Recvs(Side.Server), e => Assert.InRange(e.Moved, 1, 4096));
    }

    [Fact]
    public async Task Close_PeerBlockedInRecv_CloseRecordedBeforeThePeersZeroByteRecv()
    {
        var trace = new Trace();
        using var listener = TracedSocket.Tcp(trace, Side.Server);
        listener.Bind(System.Net.IPAddress.Loopback, 0);
        listener.Listen();
        var client = TracedSocket.Tcp(trace, Side.Client);
        client.Connect(listener.LocalEndPoint!);
        using var server = listener.Accept();
        var reading = Task.Run(() => server.Receive(new byte[16]));
        await trace.WaitForAsync(e => e.Kind == TraceKind.Accept, TimeSpan.FromSeconds(5));

        client.Close(CloseReason.Done);

        Assert.Equal(0, await reading.WaitAsync(TimeSpan.FromSeconds(5)));
        var close = trace.Events.Single(e => e.Kind == TraceKind.Close && e.Side == Side.Client);
        var fin = trace.Events.Single(e => e.Kind == TraceKind.Recv && e.Side == Side.Server);
        Assert.True(close.Seq < fin.Seq, $"close #{close.Seq} after the peer's recv of 0 bytes #{fin.Seq}");
    }
}
