using System.Net;
using System.Net.Sockets;
using System.Text;
using SocketsNotebooks.Echo;
using SocketsNotebooks.Hosting;
using SocketsNotebooks.Tracing;

namespace SocketsNotebooks.Tests.Echo;

public sealed class EchoServerTests
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(5);

    private static string Unique(string name) => $"{nameof(EchoServerTests)}-{name}-{Guid.NewGuid():N}";

    private static SocketError ConnectError(IPEndPoint endPoint)
    {
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            probe.Connect(endPoint);
            return SocketError.Success;
        }
        catch (SocketException e)
        {
            return e.SocketErrorCode;
        }
    }

    [Fact]
    public void Start_Defaults_LoopbackAndAPortChosenByTheOs()
    {
        var server = EchoServer.Start(name: Unique("defaults"));
        try
        {
            Assert.Equal(IPAddress.Loopback, server.EndPoint.Address);
            Assert.NotEqual(0, server.Port);
            Assert.Equal(1024, server.BufferSize);
            Assert.True(server.IsRunning);
            Assert.Contains(server.Trace.Events, e => e.Kind == TraceKind.Listen && e.Side == Side.Server);
        }
        finally
        {
            server.Stop();
        }
    }

    [Fact]
    public void Server_ManyClientsInARow_EveryOneEchoed()
    {
        var trace = new Trace();
        var server = EchoServer.Start(trace, Unique("many"));
        try
        {
            for (int i = 0; i < 20; i++)
            {
                var message = Encoding.UTF8.GetBytes($"client {i}: Hello, world ☕");
                Assert.Equal(message, EchoClient.Exchange(server.EndPoint, message, trace));
            }
            Assert.Equal(20, server.Served);
            Assert.Equal(20, trace.Events.Count(e => e.Side == Side.Server && e.Kind == TraceKind.Accept));
            Assert.Equal(20, trace.Events.Where(e => e.Side == Side.Server).Select(e => e.Conn).Where(c => c != 0).Distinct().Count());
        }
        finally
        {
            server.Stop();
        }
    }

    [Fact]
    public void Server_LargePayload_EveryRecvAtMostTheBufferSize()
    {
        var trace = new Trace();
        var server = EchoServer.Start(trace, Unique("large"), bufferSize: 1000);
        try
        {
            var payload = Enumerable.Range(0, 50_000).Select(i => (byte)(i * 7)).ToArray();
            Assert.Equal(payload, EchoClient.Exchange(server.EndPoint, payload, trace));

            var recvs = trace.Recvs(Side.Server);
            Assert.All(recvs, e => Assert.Equal(1000, e.Asked));
            Assert.All(recvs, e => Assert.InRange(e.Moved, 0, 1000));
            Assert.True(recvs.Count(e => e.Moved > 0) >= 50);
            Assert.Equal(payload.Length, trace.Sends(Side.Server).Sum(e => e.Moved));
        }
        finally
        {
            server.Stop();
        }
    }

    [Fact]
    public void Server_PauseBeforeRecv_QuickSendsComeOutOfOneRecv()
    {
        var trace = new Trace();
        var server = EchoServer.Start(trace, Unique("glued"));
        server.PauseBeforeRecv = TimeSpan.FromMilliseconds(50);
        try
        {
            byte[][] messages = ["one,"u8.ToArray(), "two,"u8.ToArray(), "three"u8.ToArray()];
            var echoed = EchoClient.ExchangeMany(server.EndPoint, messages, trace);

            Assert.Equal("one,two,three"u8.ToArray(), echoed);
            Assert.Equal(3, trace.Sends(Side.Client).Count);
            var data = Assert.Single(trace.Recvs(Side.Server), e => e.Moved > 0);
            Assert.Equal("b'one,two,three'", data.Preview);
        }
        finally
        {
            server.Stop();
        }
    }

    [Fact]
    public async Task Server_ClientResets_ServerGoesOnToTheNextClient()
    {
        var trace = new Trace();
        var server = EchoServer.Start(trace, Unique("reset"));
        try
        {
            var rude = EchoClient.Connect(server.EndPoint, trace);
            rude.SendAll("bye"u8.ToArray());
            Assert.Equal("bye"u8.ToArray(), rude.Receive(16));
            rude.Abort(CloseReason.Done);
            var closed = await trace.WaitForAsync(e => e.Side == Side.Server && e.Kind == TraceKind.Close && e.Conn == rude.Conn, s_wait);
            Assert.Equal(nameof(CloseReason.PeerReset), closed.Note);

            Assert.Equal("next"u8.ToArray(), EchoClient.Exchange(server.EndPoint, "next"u8.ToArray(), trace));
            Assert.True(server.IsRunning);
            Assert.Null(server.Failure);
        }
        finally
        {
            server.Stop();
        }
    }

    [Fact]
    public async Task Server_QuietClient_ClosedAfterIdleTimeout()
    {
        var trace = new Trace();
        var server = EchoServer.Start(trace, Unique("idle"), idleTimeout: TimeSpan.FromMilliseconds(100));
        try
        {
            var quiet = EchoClient.Connect(server.EndPoint, trace);
            Assert.Equal(0, quiet.Receive(new byte[16]));
            quiet.Close();
            // The server records its close just after the FIN has gone out, so wait for it.
            var closed = await trace.WaitForAsync(e => e.Side == Side.Server && e.Kind == TraceKind.Close && e.Conn == quiet.Conn, s_wait);
            Assert.Equal(nameof(CloseReason.IdleTimeout), closed.Note);
        }
        finally
        {
            server.Stop();
        }
    }

    [Fact]
    public async Task Server_QuietClientWhilePausing_ClosedAfterOneIdleTimeoutNotTwo()
    {
        // The pause before recv() waits for data first; a client that sends nothing must cost the
        // idle timeout once, not the wait for data plus the pause plus recv()'s own timeout.
        var idle = TimeSpan.FromMilliseconds(500);
        var trace = new Trace();
        var server = EchoServer.Start(trace, Unique("idle-pause"), idleTimeout: idle);
        server.PauseBeforeRecv = TimeSpan.FromSeconds(1);
        try
        {
            var quiet = EchoClient.Connect(server.EndPoint, trace);
            var closed = await trace.WaitForAsync(e => e.Side == Side.Server && e.Kind == TraceKind.Close && e.Conn == quiet.Conn, s_wait);
            var accepted = trace.Events.Single(e => e.Side == Side.Server && e.Kind == TraceKind.Accept && e.Conn == quiet.Conn);
            quiet.Close();

            Assert.Equal(nameof(CloseReason.IdleTimeout), closed.Note);
            Assert.Contains(trace.Events, e => e.Side == Side.Server && e.Kind == TraceKind.Error && e.Conn == quiet.Conn
                && e.Note == "IdleTimeout: nothing received for 0.5 s");
            // Generous for a busy machine, yet well under the 2 s the old double wait took.
            Assert.InRange(closed.TimeMs - accepted.TimeMs, 0, 1.5 * idle.TotalMilliseconds + 500);
        }
        finally
        {
            server.Stop();
        }
    }

    [Fact]
    public void Stop_NoListenerLeft_ConnectIsRefused()
    {
        var server = EchoServer.Start(name: Unique("stop"));
        var endPoint = server.EndPoint;
        server.Stop();

        Assert.False(server.IsRunning);
        Assert.Equal(SocketError.ConnectionRefused, ConnectError(endPoint));
        server.Stop();
    }

    [Fact]
    public void Stop_WhileAClientIsConnected_EndsPromptly()
    {
        var trace = new Trace();
        var server = EchoServer.Start(trace, Unique("busy"));
        var client = EchoClient.Connect(server.EndPoint, trace);
        try
        {
            client.SendAll("x"u8.ToArray());
            Assert.Equal("x"u8.ToArray(), client.Receive(16));
            var watch = System.Diagnostics.Stopwatch.StartNew();
            server.Stop();

            Assert.False(server.IsRunning);
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(2), $"Stop took {watch.ElapsedMilliseconds} ms");
            try
            {
                Assert.Equal(0, client.Receive(new byte[16]));
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionReset)
            {
                // .NET closes a socket that a thread is blocked on abortively, so the client may see
                // a reset rather than a FIN; either way the connection is over.
            }
        }
        finally
        {
            client.Close();
        }
    }

    [Fact]
    public void Start_SameNameAgain_ReplacesTheOldServerAndFreesItsPort()
    {
        string name = Unique("rerun");
        var first = EchoServer.Start(name: name);
        var firstEndPoint = first.EndPoint;
        var second = EchoServer.Start(name: name);
        try
        {
            Assert.False(first.IsRunning);
            Assert.Equal(SocketError.ConnectionRefused, ConnectError(firstEndPoint));
            Assert.Single(BackgroundServer.Running, n => n == name);
            Assert.Equal("again"u8.ToArray(), EchoClient.Exchange(second.EndPoint, "again"u8.ToArray(), second.Trace));
        }
        finally
        {
            second.Stop();
        }
        Assert.DoesNotContain(name, BackgroundServer.Running);
    }

    [Fact]
    public void StopThenStart_ServesAgain()
    {
        string name = Unique("restart");
        var trace = new Trace();
        EchoServer.Start(trace, name).Stop();
        var again = EchoServer.Start(trace, name);
        try
        {
            Assert.Equal("back"u8.ToArray(), EchoClient.Exchange(again.EndPoint, "back"u8.ToArray(), trace));
        }
        finally
        {
            again.Stop();
        }
    }
}
