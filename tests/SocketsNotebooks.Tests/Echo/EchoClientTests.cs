using System.Net.Sockets;
using SocketsNotebooks.Echo;
using SocketsNotebooks.Tracing;

namespace SocketsNotebooks.Tests.Echo;

public sealed class EchoClientTests
{
    private static string Unique(string name) => $"{nameof(EchoClientTests)}-{name}-{Guid.NewGuid():N}";

    [Fact]
    public void Exchange_ReturnsOnlyAfterTheServerHasClosedItsEnd()
    {
        var trace = new Trace();
        var server = EchoServer.Start(trace, Unique("closed"));
        try
        {
            EchoClient.Exchange(server.EndPoint, "tidy"u8.ToArray(), trace);
            int conn = trace.Events.Single(e => e.Kind == TraceKind.Connect).Conn;
            Assert.Contains(trace.Events, e => e.Side == Side.Server && e.Kind == TraceKind.Close && e.Conn == conn);
        }
        finally
        {
            server.Stop();
        }
    }

    [Fact]
    public void NonBlockingSend_PeerNotKeepingUp_TakesFewerBytesThanGiven()
    {
        var trace = new Trace();
        var server = EchoServer.Start(trace, Unique("short"));
        var client = EchoClient.ConnectNonBlocking(server.EndPoint, trace);
        try
        {
            var payload = new byte[1_000_000];
            int taken = client.Send(payload);

            Assert.InRange(taken, 1, payload.Length - 1);
            var send = Assert.Single(trace.Sends(Side.Client));
            Assert.Equal((payload.Length, taken), (send.Asked, send.Moved));
        }
        finally
        {
            client.Close();
            server.Stop();
        }
    }

    [Fact]
    public async Task SendAllNonBlocking_AfterAShortSend_EveryByteGoesAndComesBack()
    {
        var trace = new Trace();
        var server = EchoServer.Start(trace, Unique("sendall"));
        var client = EchoClient.ConnectNonBlocking(server.EndPoint, trace);
        try
        {
            var payload = Enumerable.Range(0, 1_000_000).Select(i => (byte)(i % 251)).ToArray();
            int taken = client.Send(payload);
            var echo = EchoClient.ReadInBackground(client);
            int calls = EchoClient.SendAllNonBlocking(client, payload.AsSpan(taken));
            client.Shutdown(SocketShutdown.Send);

            Assert.Equal(payload, await echo.WaitAsync(EchoClient.DefaultTimeout));
            Assert.True(calls >= 1);
            Assert.Equal(calls + 1, trace.Sends(Side.Client).Count);
            Assert.Equal(payload.Length, trace.Sends(Side.Client).Sum(e => e.Moved));
        }
        finally
        {
            client.Close();
            server.Stop();
        }
    }

    [Fact]
    public void Connect_NobodyListening_RefusedAndRecorded()
    {
        var trace = new Trace();
        var server = EchoServer.Start(trace, Unique("gone"));
        var endPoint = server.EndPoint;
        server.Stop();

        var error = Assert.Throws<SocketException>(() => EchoClient.Connect(endPoint, trace));
        Assert.Equal(SocketError.ConnectionRefused, error.SocketErrorCode);
        Assert.Contains(trace.Events, e => e.Side == Side.Client && e.Kind == TraceKind.Error && e.Note.StartsWith("ConnectionRefused"));
    }
}
