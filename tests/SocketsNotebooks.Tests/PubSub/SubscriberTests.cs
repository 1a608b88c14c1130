using Microsoft.Extensions.Time.Testing;
using System.Net;
using System.Net.Sockets;
using SocketsNotebooks.PubSub;
using SocketsNotebooks.Tracing;
using Xunit.Abstractions;
using Trace = SocketsNotebooks.Tracing.Trace;

namespace SocketsNotebooks.Tests.PubSub;

public sealed class SubscriberTests(ITestOutputHelper output)
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task OnMessage_Throws_SubscriberEndsWithReasonWaitersFailAndCloseDoesNotThrow()
    {
        var trace = new Trace();
        var broker = Broker.Start(trace, name: nameof(OnMessage_Throws_SubscriberEndsWithReasonWaitersFailAndCloseDoesNotThrow));
        // What the CLI's handler does when its stdout is a pipe whose reader went away.
        var options = new SubscriberOptions { OnMessage = _ => throw new IOException("Broken pipe") };
        var subscriber = await Subscriber.ConnectAsync(broker.EndPoint, trace, options);
        try
        {
            await subscriber.SubscribeAsync("news").WaitAsync(s_timeout);
            // `sockets subscribe news 2` waits like this, with no timeout of its own.
            var waiting = subscriber.WaitForCountAsync(2, Timeout.InfiniteTimeSpan);
            using var publisher = await Publisher.ConnectAsync(broker.EndPoint, trace);
            publisher.Publish("news", "one");

            string why = await subscriber.Closed.WaitAsync(s_timeout);
            var ended = await Assert.ThrowsAsync<IOException>(() => waiting.WaitAsync(s_timeout));
            var closed = await trace.WaitForAsync(e => e.Conn == subscriber.Conn && e.Side == Side.Client && e.Kind == TraceKind.Close, s_timeout);
            // The subscriber leaves, so the broker stops sending to a reader that is gone.
            await trace.WaitForAsync(e => e.Conn == subscriber.Conn && e.Side == Side.Server && e.Kind == TraceKind.Close, s_timeout);
            var closing = Record.Exception(subscriber.Close);
            output.WriteLine($"Closed: {why}; waiter: {ended.Message}");

            Assert.StartsWith("OnMessage threw IOException", why, StringComparison.Ordinal);
            Assert.Contains("Broken pipe", why, StringComparison.Ordinal);
            Assert.Contains(why, ended.Message, StringComparison.Ordinal);
            Assert.Equal(nameof(CloseReason.AppError), closed.Note);
            Assert.Contains(trace.Events, e => e.Conn == subscriber.Conn && e.Side == Side.Client && e.Kind == TraceKind.Error && e.Note == $"AppError: {why}");
            Assert.Null(closing);
            // The message its handler failed on was never handed over, so it does not count.
            Assert.Equal(0, subscriber.Count);
        }
        finally
        {
            subscriber.Close();
            broker.Stop();
        }
    }

    [Fact]
    public async Task ReadLoop_UnexpectedException_ClosedSaysWhyAndCloseDoesNotThrow()
    {
        var trace = new Trace();
        var broker = Broker.Start(trace, name: nameof(ReadLoop_UnexpectedException_ClosedSaysWhyAndCloseDoesNotThrow));
        var subscriber = await Subscriber.ConnectAsync(broker.EndPoint, trace);
        try
        {
            await subscriber.SubscribeAsync("news").WaitAsync(s_timeout);
            int conn = subscriber.Conn;
            // Neither a socket error nor the broker's fault: a notebook's trace handler that breaks
            // while the reading task records its recv().
            trace.Recorded += e =>
            {
                if (e.Conn == conn && e.Side == Side.Client && e.Kind == TraceKind.Recv)
                {
                    throw new InvalidOperationException("the live chart broke");
                }
            };
            var waiting = subscriber.WaitForCountAsync(1, Timeout.InfiniteTimeSpan);
            using var publisher = await Publisher.ConnectAsync(broker.EndPoint, trace);
            publisher.Publish("news", "one");

            string why = await subscriber.Closed.WaitAsync(s_timeout);
            await Assert.ThrowsAsync<IOException>(() => waiting.WaitAsync(s_timeout));
            var closing = Record.Exception(subscriber.Close);
            output.WriteLine($"Closed: {why}");

            Assert.Contains("InvalidOperationException", why, StringComparison.Ordinal);
            Assert.Contains("the live chart broke", why, StringComparison.Ordinal);
            Assert.Null(closing);
            Assert.Contains(trace.Events, e => e.Conn == conn && e.Side == Side.Client && e.Kind == TraceKind.Close && e.Note == nameof(CloseReason.AppError));
            Assert.Contains(trace.Events, e => e.Conn == conn && e.Side == Side.Client && e.Kind == TraceKind.Error && e.Note == $"AppError: {why}");
        }
        finally
        {
            subscriber.Close();
            broker.Stop();
        }
    }

    [Theory]
    [InlineData(PubSubVerb.Subscribe)]
    [InlineData(PubSubVerb.Ping)]
    public async Task Request_SendTimedOut_NextRequestGetsTheNextReply(PubSubVerb next)
    {
        // A stand-in broker that reads nothing at first, with small buffers on both ends, so a big
        // subscribe cannot be sent within the subscriber's timeout.
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.ReceiveBufferSize = 4096;
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen();
        // The subscriber's timeout runs on a clock only this test moves: the stuck request times out
        // when the clock is moved, and the next one cannot, however slow a loaded machine is.
        var clock = new FakeTimeProvider();
        var options = new SubscriberOptions { SendBufferSize = 4096, Timeout = TimeSpan.FromSeconds(1), TimeProvider = clock };
        var subscriber = await Subscriber.ConnectAsync(listener.LocalEndPoint!, new Trace(), options);
        Socket? broker = null;
        var drained = Task.CompletedTask;
        try
        {
            broker = await listener.AcceptAsync().WaitAsync(s_timeout);
            // 1 MiB cannot fit in the two small buffers, so this send is still waiting when the clock moves.
            var sending = subscriber.SubscribeAsync(new string('a', 1 << 20));
            clock.Advance(TimeSpan.FromSeconds(2));
            var stuck = await Assert.ThrowsAsync<TimeoutException>(() => sending.WaitAsync(s_timeout));
            output.WriteLine(stuck.Message);

            // Now the broker reads (and ignores) what comes, and answers only the next request.
            drained = DrainAsync(broker);
            var answered = next == PubSubVerb.Subscribe ? subscriber.SubscribeAsync("news") : subscriber.PingAsync();
            var reply = next == PubSubVerb.Subscribe
                ? PubSubCommand.Acknowledge(PubSubVerb.Subscribe, "news", 1)
                : new PubSubCommand(PubSubVerb.Pong);
            await broker.SendAsync(reply.ToBytes());

            await answered.WaitAsync(s_timeout);
            if (answered is Task<int> subscribed)
            {
                Assert.Equal(1, await subscribed);
            }
            Assert.False(subscriber.Closed.IsCompleted);
        }
        finally
        {
            subscriber.Close();
            await drained.WaitAsync(s_timeout);
            broker?.Dispose();
        }
    }

    private static async Task DrainAsync(Socket socket)
    {
        var buffer = new byte[64 * 1024];
        try
        {
            while (await socket.ReceiveAsync(buffer) > 0)
            {
            }
        }
        catch (SocketException)
        {
            // The subscriber went away with a reset: nothing more to read.
        }
    }
}
