using System.Net.Sockets;
using SocketsNotebooks.Tracing;
using SocketsNotebooks.Troubleshooting;

namespace SocketsNotebooks.Tests.Troubleshooting;

public sealed class SilentServerTests
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task SilentServer_ClientSends_NothingReadUntilStartReading()
    {
        var trace = new Trace();
        using var server = SilentServer.Start(trace, nameof(SilentServer_ClientSends_NothingReadUntilStartReading));
        using var client = TracedSocket.Tcp(trace, Side.Client);
        client.Connect(server.EndPoint);
        client.SendAll(new byte[5000]);
        await trace.WaitForAsync(e => e.Kind == TraceKind.Accept, s_timeout);

        Assert.Equal(0, server.BytesRead);
        Assert.Empty(trace.Recvs(Side.Server));

        server.StartReading(bufferSize: 1000);
        await server.WaitForBytesReadAsync(5000, s_timeout);

        Assert.Equal(5000, server.BytesRead);
        Assert.All(trace.Recvs(Side.Server), e => Assert.InRange(e.Moved, 1, 1000));
    }

    [Fact]
    public async Task SilentServer_Stop_ClosesConnectionsAndListener()
    {
        var trace = new Trace();
        var server = SilentServer.Start(trace, nameof(SilentServer_Stop_ClosesConnectionsAndListener));
        using var client = TracedSocket.Tcp(trace, Side.Client);
        client.Connect(server.EndPoint);
        await trace.WaitForAsync(e => e.Kind == TraceKind.Accept, s_timeout);
        var endPoint = server.EndPoint;

        server.Dispose();

        Assert.False(server.IsRunning);
        Assert.Null(server.Failure);
        client.ReceiveTimeout = 2000;
        Assert.Equal(0, client.Receive(new byte[10])); // FIN from the server's close
        using var late = new Socket(SocketType.Stream, ProtocolType.Tcp);
        Assert.Equal(SocketError.ConnectionRefused, Assert.Throws<SocketException>(() => late.Connect(endPoint)).SocketErrorCode);
    }
}
