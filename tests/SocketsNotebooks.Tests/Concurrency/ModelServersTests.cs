using System.Net.Sockets;
using SocketsNotebooks.Concurrency;
using SocketsNotebooks.Tracing;
using Trace = SocketsNotebooks.Tracing.Trace;

namespace SocketsNotebooks.Tests.Concurrency;

// What tells the models apart: who waits for whom, and what each holds per connection.
public sealed class ModelServersTests
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(5);

    private static Socket Connect(EchoModelServer server)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveTimeout = 5000 };
        socket.Connect(server.EndPoint);
        return socket;
    }

    private static string Echo(Socket socket, string text)
    {
        socket.Send(System.Text.Encoding.ASCII.GetBytes(text));
        var buffer = new byte[text.Length];
        for (int got = 0; got < buffer.Length;)
        {
            int n = socket.Receive(buffer, got, buffer.Length - got, SocketFlags.None);
            Assert.True(n > 0, "FIN before the echo");
            got += n;
        }
        return System.Text.Encoding.ASCII.GetString(buffer);
    }

    [Fact]
    public void Blocking_FirstClientSilent_SecondWaitsUntilTheFirstLeaves()
    {
        var server = BlockingEchoServer.Start(name: nameof(Blocking_FirstClientSilent_SecondWaitsUntilTheFirstLeaves));
        try
        {
            using var first = Connect(server);
            Assert.Equal("first", Echo(first, "first"));
            using var second = Connect(server);
            second.Send("second"u8);

            // The server sits in recv() on the first client: nothing can come back to the second.
            Assert.False(second.Poll(200_000, SelectMode.SelectRead));
            first.Close();

            Assert.True(second.Poll(5_000_000, SelectMode.SelectRead));
            Assert.Equal(6, second.Receive(new byte[16]));
        }
        finally
        {
            server.Stop();
        }
    }

    [Fact]
    public void Threads_EachConnectionItsOwnThread_SilentClientHoldsOnlyItsOwn()
    {
        var server = ThreadPerConnectionEchoServer.Start(name: nameof(Threads_EachConnectionItsOwnThread_SilentClientHoldsOnlyItsOwn));
        try
        {
            using var silent = Connect(server);
            var talkers = Enumerable.Range(0, 10).Select(_ => Connect(server)).ToList();

            Assert.All(talkers, t => Assert.Equal("hi", Echo(t, "hi")));
            // Every talker was answered, so it has a thread parked in recv(); the silent one was
            // accepted before them (the backlog is first come, first served) and has one too.
            Assert.Equal(11, server.Threads);
            Assert.Equal(11, server.PeakThreads);
            talkers.ForEach(t => t.Dispose());
        }
        finally
        {
            server.Stop();
        }
        Assert.Equal(0, server.Threads);
    }

    [Fact]
    public async Task Async_SilentClient_OthersServedWithoutAThreadEach()
    {
        var trace = new Trace();
        var server = AsyncEchoServer.Start(trace, nameof(Async_SilentClient_OthersServedWithoutAThreadEach));
        try
        {
            using var silent = Connect(server);
            var talkers = Enumerable.Range(0, 20).Select(_ => Connect(server)).ToList();

            Assert.All(talkers, t => Assert.Equal("hi", Echo(t, "hi")));
            talkers.ForEach(t => t.Dispose());
            await trace.WaitForAsync(e => e.Side == Side.Server && e.Kind == TraceKind.Close && e.Note == nameof(CloseReason.PeerClosed), s_wait);
            Assert.InRange(server.HandlersRunning, 1, 21);
        }
        finally
        {
            server.Stop();
        }
        Assert.Equal(0, server.HandlersRunning);
    }

    [Fact]
    public void Async_HandlerThrows_ConnectionClosedFailureKeptServerRuns()
    {
        var server = AsyncEchoServer.Start(name: nameof(Async_HandlerThrows_ConnectionClosedFailureKeptServerRuns),
            handler: (_, _) => throw new InvalidOperationException("bang"));
        try
        {
            using var client = Connect(server);

            Assert.Equal(0, client.Receive(new byte[1]));
            Assert.Equal("bang", server.LastHandlerFailure?.Message);
            Assert.True(server.IsRunning);
        }
        finally
        {
            server.Stop();
        }
        Assert.Equal(1, server.ClosedBecause(CloseReason.AppError));
    }

    [Fact]
    public void Async_OwnHandler_GetsThePlainSocket()
    {
        Socket? seen = null;
        var server = AsyncEchoServer.Start(new Trace(), nameof(Async_OwnHandler_GetsThePlainSocket), handler: async (socket, _) =>
        {
            seen = socket;
            await socket.SendAsync("hello from the handler"u8.ToArray(), SocketFlags.None);
        });
        try
        {
            using var client = Connect(server);
            var buffer = new byte[64];
            int got = 0, n;
            while ((n = client.Receive(buffer, got, buffer.Length - got, SocketFlags.None)) > 0)
            {
                got += n;
            }

            Assert.Equal("hello from the handler", System.Text.Encoding.ASCII.GetString(buffer, 0, got));
            Assert.NotNull(seen);
        }
        finally
        {
            server.Stop();
        }
    }
}
