using System.Net.Sockets;
using Microsoft.Extensions.Time.Testing;
using SocketsNotebooks.AppProtocol;
using SocketsNotebooks.PubSub;
using SocketsNotebooks.Selectors;
using SocketsNotebooks.Tracing;
using Xunit.Abstractions;
using Trace = SocketsNotebooks.Tracing.Trace;

namespace SocketsNotebooks.Tests.PubSub;

public sealed class BrokerTests(ITestOutputHelper output)
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task FanOut_100Subscribers_EachReceivesEveryMessageInOrder()
    {
        const int Subscribers = 100, Messages = 50;
        var trace = new Trace();
        var broker = Broker.Start(trace, name: nameof(FanOut_100Subscribers_EachReceivesEveryMessageInOrder));
        var subscribers = new List<Subscriber>();
        try
        {
            subscribers.AddRange(await Task.WhenAll(Enumerable.Range(0, Subscribers)
                .Select(_ => Subscriber.ConnectAsync(broker.EndPoint, trace))).WaitAsync(s_timeout));
            await Task.WhenAll(subscribers.Select(s => s.SubscribeAsync("news"))).WaitAsync(s_timeout);
            using var publisher = await Publisher.ConnectAsync(broker.EndPoint, trace);
            var sent = Enumerable.Range(1, Messages).Select(i => $"headline {i}").ToArray();
            foreach (string headline in sent)
            {
                publisher.Publish("news", headline);
            }

            var received = await Task.WhenAll(subscribers.Select(s => s.ReceiveAsync(Messages, s_timeout)));

            Assert.All(received, messages => Assert.Equal(sent, messages.Select(m => m.Payload)));
            Assert.All(received, messages => Assert.All(messages, m => Assert.Equal("news", m.Topic)));
            Assert.Equal(Messages, broker.Published);
            Assert.Equal(Subscribers * Messages, broker.FannedOut);
            Assert.DoesNotContain(broker.Closed, c => c.Reason == CloseReason.SlowSubscriber);
        }
        finally
        {
            subscribers.ForEach(s => s.Close());
            broker.Stop();
        }
    }

    [Fact]
    public async Task Closed_MorePublishersThanMaxClosedRecords_KeepsTheNewest()
    {
        var trace = new Trace();
        var broker = Broker.Start(trace, new BrokerOptions { MaxClosedRecords = 2 }, nameof(Closed_MorePublishersThanMaxClosedRecords_KeepsTheNewest));
        try
        {
            var conns = new List<int>();
            for (int i = 0; i < 5; i++)
            {
                // One at a time, each closed before the next connects: the broker records them in this order.
                using var publisher = await Publisher.ConnectAsync(broker.EndPoint, trace);
                await publisher.PingAsync().WaitAsync(s_timeout);
                conns.Add(publisher.Conn);
                publisher.Close();
                await WaitForCloseAsync(broker, publisher.Conn);
            }

            Assert.Equal(conns[^2..], broker.Closed.Select(c => c.Conn));
        }
        finally
        {
            broker.Stop();
        }
    }

    [Fact]
    public async Task Subscribe_Prefix100_Gets10001ButNot20001()
    {
        var trace = new Trace();
        var broker = Broker.Start(trace, name: nameof(Subscribe_Prefix100_Gets10001ButNot20001));
        var newYork = await Subscriber.ConnectAsync(broker.EndPoint, trace);
        var everything = await Subscriber.ConnectAsync(broker.EndPoint, trace);
        try
        {
            Assert.Equal(1, await newYork.SubscribeAsync("100"));
            Assert.Equal(1, await everything.SubscribeAsync(""));
            using var publisher = await Publisher.ConnectAsync(broker.EndPoint, trace);
            publisher.Publish("10001", "23 45");
            publisher.Publish("20001", "30 50");
            publisher.Publish("10021", "19 40");
            publisher.Publish("1000", "no zipcode is this short");
            publisher.Publish("9100", "100 is not at the start");
            await publisher.PingAsync().WaitAsync(s_timeout);

            var all = await everything.ReceiveAsync(5, s_timeout);
            var received = await newYork.ReceiveAsync(3, s_timeout);
            await newYork.PingAsync().WaitAsync(s_timeout);

            Assert.Equal(["10001 23 45", "10021 19 40", "1000 no zipcode is this short"], received.Select(m => m.ToString()));
            Assert.Equal(3, newYork.Count);
            Assert.Equal(5, all.Count);
        }
        finally
        {
            newYork.Close();
            everything.Close();
            broker.Stop();
        }
    }

    [Fact]
    public async Task Subscribe_OverlappingPrefixes_DeliveredOnce_UnsubscribeStopsDelivery()
    {
        var trace = new Trace();
        var broker = Broker.Start(trace, name: nameof(Subscribe_OverlappingPrefixes_DeliveredOnce_UnsubscribeStopsDelivery));
        var subscriber = await Subscriber.ConnectAsync(broker.EndPoint, trace);
        try
        {
            await subscriber.SubscribeAsync("100");
            Assert.Equal(2, await subscriber.SubscribeAsync("10001"));
            using var publisher = await Publisher.ConnectAsync(broker.EndPoint, trace);
            publisher.Publish("10001", "first");
            await publisher.PingAsync();
            Assert.Equal(1, await subscriber.UnsubscribeAsync("100"));
            Assert.Equal(0, await subscriber.UnsubscribeAsync("10001"));
            publisher.Publish("10001", "second");
            await publisher.PingAsync();
            // The subscriber's own ping comes back after anything the broker queued for it before.
            await subscriber.PingAsync();

            Assert.Equal(["first"], subscriber.Messages.Select(m => m.Payload));
        }
        finally
        {
            subscriber.Close();
            broker.Stop();
        }
    }

    [Fact]
    public async Task SlowSubscriber_QueueLimitReached_DisconnectedWithReasonWhileOthersReceiveEverything()
    {
        const int Limit = 100, Batch = 40, Batches = 15;
        var trace = new Trace();
        // Small kernel buffers on both ends, so the broker's queue (not the kernel) takes the overflow soon.
        var broker = Broker.Start(trace, new BrokerOptions { MaxQueuedMessages = Limit, SendBufferSize = 4096 },
            nameof(SlowSubscriber_QueueLimitReached_DisconnectedWithReasonWhileOthersReceiveEverything));
        var fast = new List<Subscriber>();
        Subscriber? slow = null;
        try
        {
            for (int i = 0; i < 3; i++)
            {
                fast.Add(await Subscriber.ConnectAsync(broker.EndPoint, trace));
                await fast[^1].SubscribeAsync("ticks");
            }
            slow = await Subscriber.ConnectAsync(broker.EndPoint, trace, new SubscriberOptions { Slow = true, ReceiveBufferSize = 4096 });
            await slow.SubscribeAsync("ticks");
            Assert.False(slow.IsReading);
            using var publisher = await Publisher.ConnectAsync(broker.EndPoint, trace);

            // Lock-step: the next batch goes out once every fast subscriber has the previous one, so
            // only the subscriber that stopped reading can fall behind.
            for (int b = 0; b < Batches; b++)
            {
                publisher.Publish(Enumerable.Range(b * Batch, Batch).Select(i => ("ticks", $"tick {i}")));
                await Task.WhenAll(fast.Select(s => s.WaitForCountAsync((b + 1) * Batch, s_timeout)));
            }
            // The slow subscriber cannot see the broker's FIN while it does not read: ask the broker.
            var closed = await WaitForCloseAsync(broker, slow.Conn);
            output.WriteLine($"broker: {closed.Reason}: {closed.Detail}");
            slow.ResumeReading();
            // Cut off with a reset, so it learns at once instead of after the bytes it never read.
            Assert.Equal("broker reset the connection (RST)", await slow.Closed.WaitAsync(s_timeout));

            Assert.Equal(CloseReason.SlowSubscriber, closed.Reason);
            Assert.Contains("MaxQueuedMessages = 100", closed.Detail, StringComparison.Ordinal);
            Assert.Contains(trace.Events, e => e.Conn == slow.Conn && e.Side == Side.Server && e.Kind == TraceKind.Error
                && e.Note.StartsWith("SlowSubscriber: ", StringComparison.Ordinal));
            Assert.Contains(trace.Events, e => e.Conn == slow.Conn && e.Side == Side.Server && e.Kind == TraceKind.Close && e.Note == "SlowSubscriber");
            var expected = Enumerable.Range(0, Batch * Batches).Select(i => $"tick {i}").ToArray();
            Assert.All(fast, s => Assert.Equal(expected, s.Messages.Select(m => m.Payload)));
            var slowStats = broker.Subscriber(slow.Conn)!;
            Assert.True(slowStats.CutOff);
            Assert.Equal(Limit, slowStats.PeakQueued);
            Assert.True(slowStats.Delivered < Batch * Batches);
            Assert.All(fast, s => Assert.Null(broker.Subscriber(s.Conn)!.CloseReason));
        }
        finally
        {
            fast.ForEach(s => s.Close());
            slow?.Close();
            broker.Stop();
        }
    }

    [Theory]
    [InlineData(new byte[] { 0xFF, 0xFF }, CloseReason.ProtocolError, "HeaderTooLong")]
    [InlineData(new byte[] { 0x00, 0x02, (byte)'{', (byte)'}' }, CloseReason.ProtocolError, "MissingKey")]
    public async Task MalformedFrame_ClosesOnlyThatConnection(byte[] garbage, CloseReason reason, string detail)
    {
        var trace = new Trace();
        var broker = Broker.Start(trace, name: nameof(MalformedFrame_ClosesOnlyThatConnection) + detail);
        var subscriber = await Subscriber.ConnectAsync(broker.EndPoint, trace);
        var bad = await Subscriber.ConnectAsync(broker.EndPoint, trace);
        try
        {
            await subscriber.SubscribeAsync("t");
            await bad.SubscribeAsync("t");
            using var raw = TracedSocket.Tcp(trace, Side.Client);
            raw.Connect(broker.EndPoint);
            raw.SendAll(garbage);

            var closed = await WaitForCloseAsync(broker, raw.Conn);
            using var publisher = await Publisher.ConnectAsync(broker.EndPoint, trace);
            publisher.Publish("t", "still here");

            Assert.Equal(reason, closed.Reason);
            Assert.StartsWith(detail, closed.Detail, StringComparison.Ordinal);
            Assert.Equal("still here", (await subscriber.ReceiveAsync(1, s_timeout))[0].Payload);
            Assert.Equal("still here", (await bad.ReceiveAsync(1, s_timeout))[0].Payload);
            Assert.True(broker.IsRunning);
        }
        finally
        {
            subscriber.Close();
            bad.Close();
            broker.Stop();
        }
    }

    [Fact]
    public async Task Publish_HandlingThrows_ClosesOnlyThatPublisherOthersCarryOn()
    {
        var trace = new Trace();
        // The broker logs each publish; a log callback that throws for one topic makes handling that
        // command fail the way a bug in a handler would.
        var options = new BrokerOptions
        {
            Log = line =>
            {
                if (line.Contains("published on 'boom'", StringComparison.Ordinal))
                {
                    throw new InvalidOperationException("log sink full");
                }
            },
        };
        var broker = Broker.Start(trace, options, nameof(Publish_HandlingThrows_ClosesOnlyThatPublisherOthersCarryOn));
        var subscriber = await Subscriber.ConnectAsync(broker.EndPoint, trace);
        try
        {
            await subscriber.SubscribeAsync("");
            using var bad = await Publisher.ConnectAsync(broker.EndPoint, trace);
            using var good = await Publisher.ConnectAsync(broker.EndPoint, trace);

            bad.Publish("boom", "first");
            var closed = await WaitForCloseAsync(broker, bad.Conn);
            good.Publish("weather", "sunny");
            await good.PingAsync().WaitAsync(s_timeout);
            var received = await subscriber.ReceiveAsync(2, s_timeout);

            Assert.Equal(CloseReason.AppError, closed.Reason);
            Assert.Contains("log sink full", closed.Detail);
            // The publish itself was fanned out before the log line threw.
            Assert.Equal(["boom first", "weather sunny"], received.Select(m => m.ToString()));
            Assert.True(broker.IsRunning);
            Assert.Null(broker.Failure);
        }
        finally
        {
            subscriber.Close();
            broker.Stop();
        }
    }

    [Theory]
    [InlineData("shout hello", "unknown command 'shout'")]
    [InlineData("publish", "'publish' needs a topic")]
    [InlineData("message t x", "'message' is what the broker sends")]
    [InlineData("subscribe two words", "'subscribe' takes one prefix")]
    [InlineData("error subscribe no", "'error' is what the broker sends")]
    public async Task BadCommand_ClosesThatConnectionWithReason(string text, string detail)
    {
        var trace = new Trace();
        var broker = Broker.Start(trace, name: nameof(BadCommand_ClosesThatConnectionWithReason));
        var subscriber = await Subscriber.ConnectAsync(broker.EndPoint, trace);
        try
        {
            await subscriber.SubscribeAsync("");
            using var raw = TracedSocket.Tcp(trace, Side.Client);
            raw.Connect(broker.EndPoint);
            raw.SendAll(MessageEncoder.Encode(SocketsNotebooks.AppProtocol.Message.Text(text)));

            var closed = await WaitForCloseAsync(broker, raw.Conn);
            using var publisher = await Publisher.ConnectAsync(broker.EndPoint, trace);
            publisher.Publish("t", "after");

            Assert.Equal(CloseReason.BadCommand, closed.Reason);
            Assert.StartsWith(detail, closed.Detail, StringComparison.Ordinal);
            Assert.Equal(0, raw.Receive(new byte[16])); // FIN: the broker closed it
            Assert.Equal("after", (await subscriber.ReceiveAsync(1, s_timeout))[0].Payload);
        }
        finally
        {
            subscriber.Close();
            broker.Stop();
        }
    }

    [Fact]
    public async Task Broker_AfterDelivery_WatchesWriteOnlyWhileBytesAreQueued()
    {
        var trace = new Trace();
        var broker = Broker.Start(trace, name: nameof(Broker_AfterDelivery_WatchesWriteOnlyWhileBytesAreQueued));
        var subscriber = await Subscriber.ConnectAsync(broker.EndPoint, trace);
        try
        {
            await subscriber.SubscribeAsync("t");
            using var publisher = await Publisher.ConnectAsync(broker.EndPoint, trace);
            publisher.Publish(Enumerable.Range(0, 500).Select(i => ("t", new string('x', 100))));
            await subscriber.WaitForCountAsync(500, s_timeout);
            await subscriber.PingAsync();
            await publisher.PingAsync();
            // A pong can arrive before the wake-up that sent it has updated the masks. A third client's ping,
            // sent now, is read in a later wake-up; its FIN comes once the broker has sent its pong and closed it.
            using (var last = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveTimeout = 5000 })
            {
                last.Connect(broker.EndPoint);
                last.Send(new PubSubCommand(PubSubVerb.Ping).ToBytes());
                last.Shutdown(SocketShutdown.Send);
                Assert.Equal([PubSubVerb.Pong], ReadUntilFin(last).Select(r => r.Verb));
            }

            // The pong was the last byte queued; once it is out, nobody is watched for Write.
            Assert.All(broker.Keys, key => Assert.Equal(SelectorEvents.Read, key.Events));
            Assert.Equal(500, broker.Subscriber(subscriber.Conn)!.Delivered);
        }
        finally
        {
            subscriber.Close();
            broker.Stop();
        }
    }

    [Fact]
    public async Task Stats_Samples_DeliveredGrowsToTotal()
    {
        var trace = new Trace();
        var broker = Broker.Start(trace, name: nameof(Stats_Samples_DeliveredGrowsToTotal));
        var subscriber = await Subscriber.ConnectAsync(broker.EndPoint, trace);
        try
        {
            await subscriber.SubscribeAsync("t");
            using var publisher = await Publisher.ConnectAsync(broker.EndPoint, trace);
            publisher.Publish(Enumerable.Range(0, 300).Select(i => ("t", "x")));
            await subscriber.WaitForCountAsync(300, s_timeout);
            subscriber.Close();
            var closed = await WaitForCloseAsync(broker, subscriber.Conn);

            var stats = broker.Subscriber(subscriber.Conn)!;
            Assert.Equal(CloseReason.PeerClosed, closed.Reason);
            Assert.Equal(300, stats.Samples[^1].Delivered);
            Assert.Equal(stats.Samples.OrderBy(s => s.TimeMs).Select(s => s.Delivered), stats.Samples.Select(s => s.Delivered));
            Assert.True(stats.Samples.Zip(stats.Samples.Skip(1)).All(p => p.First.Delivered <= p.Second.Delivered));
        }
        finally
        {
            broker.Stop();
        }
    }

    [Fact]
    public async Task Subscriber_BrokerStopped_ClosedCompletesAndWaitFailsFast()
    {
        var trace = new Trace();
        var broker = Broker.Start(trace, name: nameof(Subscriber_BrokerStopped_ClosedCompletesAndWaitFailsFast));
        var subscriber = await Subscriber.ConnectAsync(broker.EndPoint, trace);
        try
        {
            await subscriber.SubscribeAsync("t");
            var waiting = subscriber.WaitForCountAsync(1, s_timeout);
            broker.Stop();

            await Assert.ThrowsAsync<IOException>(() => waiting);
            // FIN or reset: a stopping broker's close arrives as a reset when the subscriber's last
            // bytes were still unread there (issue 10). Either way the subscriber must learn it.
            Assert.Contains(await subscriber.Closed.WaitAsync(s_timeout), new[] { "broker closed the connection (FIN)", "broker reset the connection (RST)" });
            Assert.Equal(CloseReason.Stopped, broker.Subscriber(subscriber.Conn)!.CloseReason);
        }
        finally
        {
            subscriber.Close();
            broker.Stop();
        }
    }

    [Fact]
    public async Task HalfClose_AfterSubscribeAndPing_RepliesStillSentThenFin()
    {
        var trace = new Trace();
        var broker = Broker.Start(trace, name: nameof(HalfClose_AfterSubscribeAndPing_RepliesStillSentThenFin));
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveTimeout = 5000 };
        try
        {
            client.Connect(broker.EndPoint);
            client.Send([.. PubSubCommand.Subscribe("t").ToBytes(), .. new PubSubCommand(PubSubVerb.Ping).ToBytes()]);
            client.Shutdown(SocketShutdown.Send);

            var replies = ReadUntilFin(client);

            Assert.Equal([PubSubVerb.Subscribed, PubSubVerb.Pong], replies.Select(r => r.Verb));
        }
        finally
        {
            broker.Stop();
        }
    }

    [Fact]
    public async Task Subscribe_PipelinedPastAThousandWithoutReading_AllAcknowledgedNotCutOff()
    {
        var trace = new Trace();
        var broker = Broker.Start(trace, name: nameof(Subscribe_PipelinedPastAThousandWithoutReading_AllAcknowledgedNotCutOff));
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveTimeout = 5000 };
        try
        {
            client.Connect(broker.EndPoint);
            byte[] subscribe = PubSubCommand.Subscribe("t").ToBytes();
            client.Send([.. Enumerable.Range(0, 1500).SelectMany(_ => subscribe), .. new PubSubCommand(PubSubVerb.Ping).ToBytes()]);
            client.Shutdown(SocketShutdown.Send);

            var replies = ReadUntilFin(client);

            Assert.Equal(1500, replies.Count(r => r.Verb == PubSubVerb.Subscribed));
            Assert.Equal(PubSubVerb.Pong, replies[^1].Verb);
            await broker.Trace.WaitForAsync(e => e.Side == Side.Server && e.Kind == TraceKind.Close && e.Note == nameof(CloseReason.PeerClosed), s_timeout);
        }
        finally
        {
            broker.Stop();
        }
    }

    [Fact]
    public async Task SlowSubscriber_BurstOfFiveThousandWhileTheClockStands_NotCutOffAndGetsEverything()
    {
        var time = new FakeTimeProvider();
        var trace = new Trace();
        // A small send buffer and 100-byte messages: the kernel holds at most a few hundred of them (16 KiB of
        // send buffer and 8 KiB of receive buffer), so the rest must wait in the broker's queue. With the default
        // buffer, which grows to 4 MiB on loopback, a fast enough run could leave the queue short of 1,000.
        var broker = Broker.Start(trace, new BrokerOptions { TimeProvider = time, SendBufferSize = 8192 },
            nameof(SlowSubscriber_BurstOfFiveThousandWhileTheClockStands_NotCutOffAndGetsEverything));
        var subscriber = await Subscriber.ConnectAsync(broker.EndPoint, trace, new SubscriberOptions { Slow = true, ReceiveBufferSize = 4096 });
        try
        {
            await subscriber.SubscribeAsync("burst");
            using var publisher = await Publisher.ConnectAsync(broker.EndPoint, trace);
            // Five times the old count limit of 1,000, all queued while the subscriber does not read.
            publisher.Publish(Enumerable.Range(0, 5000).Select(i => ("burst", $"m{i}".PadRight(100, '.'))));
            await publisher.PingAsync();
            Assert.True(broker.Subscriber(subscriber.Conn)!.PeakQueued > 1000);

            subscriber.ResumeReading();
            await subscriber.WaitForCountAsync(5000, s_timeout);

            Assert.Null(broker.Subscriber(subscriber.Conn)!.CloseReason);
        }
        finally
        {
            subscriber.Close();
            broker.Stop();
        }
    }

    // Every reply the broker sends until its FIN.
    private static List<PubSubCommand> ReadUntilFin(Socket client)
    {
        var decoder = new MessageDecoder();
        var replies = new List<PubSubCommand>();
        var buffer = new byte[65536];
        int received;
        while ((received = client.Receive(buffer)) > 0)
        {
            decoder.Feed(buffer.AsSpan(0, received));
            while (decoder.TryReadMessage(out var message))
            {
                Assert.True(PubSubCommand.TryParse(message, out var reply, out string error), error);
                replies.Add(reply);
            }
        }
        return replies;
    }

    private static async Task<PubSubConnectionClosed> WaitForCloseAsync(Broker broker, int conn)
    {
        await broker.Trace.WaitForAsync(e => e.Conn == conn && e.Side == Side.Server && e.Kind == TraceKind.Close, s_timeout);
        return broker.Closed.Single(c => c.Conn == conn);
    }
}
