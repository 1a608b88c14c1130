using System.Net.Sockets;
using Microsoft.Extensions.Time.Testing;
using SocketsNotebooks.AppProtocol;
using SocketsNotebooks.PubSub;
using SocketsNotebooks.Tracing;
using Xunit.Abstractions;
using Trace = SocketsNotebooks.Tracing.Trace;

namespace SocketsNotebooks.Tests.PubSub;

// The broker's limits: one subscriber's (hard, soft for a time, subscriptions) and all queues together
// (publishers paused). Every clock is fake and only moved by hand, so no rule fires by accident on a slow machine.
public sealed class BrokerLimitsTests(ITestOutputHelper output)
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(10);
    // Small kernel buffers on both ends, so the broker's queue (not the kernel) holds what a subscriber has not read.
    private static readonly SubscriberOptions s_stopsReading = new() { Slow = true, ReceiveBufferSize = 4096 };

    [Fact]
    public async Task HardLimit_SubscriberStopsReading_CutOffAtOnceWhileTheClockStands()
    {
        var trace = new Trace();
        var options = new BrokerOptions { TimeProvider = new FakeTimeProvider(), SendBufferSize = 4096, MaxQueuedBytes = 20_000, SoftQueuedBytes = 10_000 };
        var broker = Broker.Start(trace, options, nameof(HardLimit_SubscriberStopsReading_CutOffAtOnceWhileTheClockStands));
        var slow = await Subscriber.ConnectAsync(broker.EndPoint, trace, s_stopsReading);
        try
        {
            await slow.SubscribeAsync("big");
            using var publisher = await Publisher.ConnectAsync(broker.EndPoint, trace);
            publisher.Publish(Enumerable.Range(0, 100).Select(i => ("big", new string('x', 1000))));

            var closed = await WaitForCloseAsync(broker, slow.Conn);
            output.WriteLine($"{closed.Reason}: {closed.Detail}");
            slow.ResumeReading();

            Assert.Equal(CloseReason.SlowSubscriber, closed.Reason);
            Assert.Contains("MaxQueuedBytes = 20,000 reached", closed.Detail, StringComparison.Ordinal);
            Assert.True(broker.Subscriber(slow.Conn)!.PeakQueued < 100);
            Assert.Equal("broker reset the connection (RST)", await slow.Closed.WaitAsync(s_timeout));
        }
        finally
        {
            slow.Close();
            broker.Stop();
        }
    }

    [Fact]
    public async Task SoftLimit_SubscriberStopsReading_CutOffOnlyOnceOverItForSoftQueuedTime()
    {
        var time = new FakeTimeProvider();
        var trace = new Trace();
        var broker = Broker.Start(trace, Options(time), nameof(SoftLimit_SubscriberStopsReading_CutOffOnlyOnceOverItForSoftQueuedTime));
        var slow = await Subscriber.ConnectAsync(broker.EndPoint, trace, s_stopsReading);
        try
        {
            await slow.SubscribeAsync("soft");
            using var publisher = await Publisher.ConnectAsync(broker.EndPoint, trace);
            publisher.Publish(Enumerable.Range(0, 2000).Select(i => ("soft", $"message {i}")));
            await publisher.PingAsync().WaitAsync(s_timeout);
            Assert.True(broker.Subscriber(slow.Conn)!.QueuedBytes > 20_000, "the kernel took it all: the queue is not over the soft limit");

            time.Advance(TimeSpan.FromSeconds(9));
            // The pong comes after a wake-up that looked at the moved clock.
            await publisher.PingAsync().WaitAsync(s_timeout);
            Assert.Null(broker.Subscriber(slow.Conn)!.CloseReason);

            time.Advance(TimeSpan.FromSeconds(1));
            var closed = await WaitForCloseAsync(broker, slow.Conn);
            output.WriteLine($"{closed.Reason}: {closed.Detail}");
            slow.ResumeReading();

            Assert.Equal(CloseReason.SlowSubscriber, closed.Reason);
            Assert.Contains("over SoftQueuedBytes = 20,000 for 10 s: SoftQueuedTime = 10 s passed", closed.Detail, StringComparison.Ordinal);
            Assert.Equal("broker reset the connection (RST)", await slow.Closed.WaitAsync(s_timeout));
        }
        finally
        {
            slow.Close();
            broker.Stop();
        }
    }

    [Fact]
    public async Task SoftLimit_DrainedBetweenTwoBacklogs_ClockStartsAgain()
    {
        var time = new FakeTimeProvider();
        var trace = new Trace();
        var broker = Broker.Start(trace, Options(time), nameof(SoftLimit_DrainedBetweenTwoBacklogs_ClockStartsAgain));
        var subscriber = await Subscriber.ConnectAsync(broker.EndPoint, trace, s_stopsReading with { KeepMessages = false });
        try
        {
            await subscriber.SubscribeAsync("soft");
            using var publisher = await Publisher.ConnectAsync(broker.EndPoint, trace);
            for (int round = 1; round <= 2; round++)
            {
                subscriber.StopReading();
                publisher.Publish(Enumerable.Range(0, 2000).Select(i => ("soft", $"message {i}")));
                await publisher.PingAsync().WaitAsync(s_timeout);
                Assert.True(broker.Subscriber(subscriber.Conn)!.QueuedBytes > 20_000, $"round {round}: not over the soft limit");
                time.Advance(TimeSpan.FromSeconds(6));
                await publisher.PingAsync().WaitAsync(s_timeout);
                // Over the limit for 6 s, then (round 1) reads everything: under it again.
                subscriber.ResumeReading();
                await subscriber.WaitForCountAsync(2000 * round, s_timeout);
            }
            subscriber.StopReading();
            publisher.Publish(Enumerable.Range(0, 2000).Select(i => ("soft", $"message {i}")));
            await publisher.PingAsync().WaitAsync(s_timeout);
            time.Advance(TimeSpan.FromSeconds(9));
            await publisher.PingAsync().WaitAsync(s_timeout);
            Assert.Null(broker.Subscriber(subscriber.Conn)!.CloseReason);

            time.Advance(TimeSpan.FromSeconds(1));
            var closed = await WaitForCloseAsync(broker, subscriber.Conn);

            // 12 s over the soft limit in two spells did not count; 10 s in one did.
            Assert.Equal(CloseReason.SlowSubscriber, closed.Reason);
            Assert.Contains("SoftQueuedTime = 10 s passed, 4,", closed.Detail, StringComparison.Ordinal);
        }
        finally
        {
            subscriber.Close();
            broker.Stop();
        }
    }

    [Fact]
    public async Task Burst_ReadingSubscribersPastMaxTotalQueuedBytes_PublisherPausedAndResumedNoneCutOff()
    {
        const int Subscribers = 4, Messages = 10_000, Cap = 16 * 1024;
        var log = new BrokerLog();
        var trace = new Trace { Capacity = 0 };
        var options = Options(new FakeTimeProvider()) with { MaxTotalQueuedBytes = Cap, SendBufferSize = null, Log = log.Add };
        var broker = Broker.Start(trace, options, nameof(Burst_ReadingSubscribersPastMaxTotalQueuedBytes_PublisherPausedAndResumedNoneCutOff));
        var subscribers = new List<Subscriber>();
        try
        {
            for (int i = 0; i < Subscribers; i++)
            {
                subscribers.Add(await Subscriber.ConnectAsync(broker.EndPoint, trace, new SubscriberOptions { KeepMessages = false }));
                await subscribers[^1].SubscribeAsync("burst");
            }
            using var publisher = await Publisher.ConnectAsync(broker.EndPoint, trace);
            // One sendall() of everything: while the broker does not read, it waits in TCP's buffers or in send().
            var publishing = Task.Run(() => publisher.Publish(Enumerable.Range(0, Messages).Select(i => ("burst", $"message {i}"))));

            await Task.WhenAll(subscribers.Select(s => s.WaitForCountAsync(Messages, s_timeout)));
            await publishing.WaitAsync(s_timeout);
            await publisher.PingAsync().WaitAsync(s_timeout);
            output.WriteLine($"{broker.PublisherPauses} pauses, peak {broker.PeakQueuedBytes:N0} bytes queued");

            Assert.DoesNotContain(broker.Closed, c => c.Reason == CloseReason.SlowSubscriber);
            Assert.All(subscribers, s => Assert.False(s.Closed.IsCompleted));
            Assert.True(broker.PublisherPauses >= 1);
            Assert.Contains(log.Lines, l => l.StartsWith("Queues full: ", StringComparison.Ordinal));
            Assert.Contains(log.Lines, l => l.EndsWith("reading 1 publisher(s) again", StringComparison.Ordinal));
            // Over the cap by at most the fan-out of the one publish that crossed it (and a few replies).
            Assert.InRange(broker.PeakQueuedBytes, Cap, Cap + (Subscribers * Frame("burst", $"message {Messages}")) + 1024);
        }
        finally
        {
            subscribers.ForEach(s => s.Close());
            broker.Stop();
        }
    }

    [Fact]
    public async Task TotalCap_SubscribersStopReading_PublisherPausedRepliesFlowResumedWhenDrained()
    {
        const int Subscribers = 10, Messages = 5000, Cap = 1024 * 1024;
        var log = new BrokerLog();
        var trace = new Trace();
        // 10 subscribers' kernel buffers hold far less than half the cap: once full, the broker stays full until they read.
        var options = Options(new FakeTimeProvider()) with { MaxTotalQueuedBytes = Cap, Log = log.Add };
        var broker = Broker.Start(trace, options, nameof(TotalCap_SubscribersStopReading_PublisherPausedRepliesFlowResumedWhenDrained));
        log.Broker = broker;
        var subscribers = new List<Subscriber>();
        try
        {
            for (int i = 0; i < Subscribers; i++)
            {
                subscribers.Add(await Subscriber.ConnectAsync(broker.EndPoint, trace, s_stopsReading with { KeepMessages = false }));
                await subscribers[^1].SubscribeAsync("ticks");
            }
            using var publisher = await Publisher.ConnectAsync(broker.EndPoint, trace);
            var publishing = Task.Run(() => publisher.Publish(Enumerable.Range(0, Messages).Select(i => ("ticks", $"tick {i}"))));

            long publishedWhenFull = await log.Full.WaitAsync(s_timeout);
            // Full, but a client that does not publish is still heard, and its replies go out.
            await using var late = await Subscriber.ConnectAsync(broker.EndPoint, trace);
            Assert.Equal(1, await late.SubscribeAsync("other"));
            await late.PingAsync().WaitAsync(s_timeout);
            long bound = Cap + (Subscribers * Frame("ticks", $"tick {Messages}")) + 1024;

            Assert.Equal(publishedWhenFull, broker.Published);
            Assert.True(publishedWhenFull < Messages);
            Assert.InRange(broker.QueuedBytes, Cap / 2, bound);
            Assert.False(log.Resumed.IsCompleted);

            subscribers.ForEach(s => s.ResumeReading());
            await log.Resumed.WaitAsync(s_timeout);
            await Task.WhenAll(subscribers.Select(s => s.WaitForCountAsync(Messages, s_timeout)));
            await publishing.WaitAsync(s_timeout);
            await publisher.PingAsync().WaitAsync(s_timeout);

            Assert.DoesNotContain(broker.Closed, c => c.Reason == CloseReason.SlowSubscriber);
            Assert.InRange(broker.PeakQueuedBytes, Cap, bound);
        }
        finally
        {
            subscribers.ForEach(s => s.Close());
            broker.Stop();
        }
    }

    [Fact]
    public async Task TotalCap_StoppedWhileFull_StopsCleanlyAndThePausedPublisherHearsIt()
    {
        const int Cap = 100_000;
        var log = new BrokerLog();
        var trace = new Trace();
        var options = Options(new FakeTimeProvider()) with { MaxTotalQueuedBytes = Cap, Log = log.Add };
        var broker = Broker.Start(trace, options, nameof(TotalCap_StoppedWhileFull_StopsCleanlyAndThePausedPublisherHearsIt));
        var slow = await Subscriber.ConnectAsync(broker.EndPoint, trace, s_stopsReading);
        try
        {
            await slow.SubscribeAsync("ticks");
            using var publisher = await Publisher.ConnectAsync(broker.EndPoint, trace);
            var publishing = Task.Run(() => publisher.Publish(Enumerable.Range(0, 2000).Select(i => ("ticks", $"tick {i}"))));
            await log.Full.WaitAsync(s_timeout);

            // The publisher is not read now, and has nothing to receive: the broker watches it for nothing.
            broker.Stop();
            // Its send() either fit in TCP's buffers or fails now that the broker is gone.
            await Record.ExceptionAsync(() => publishing.WaitAsync(s_timeout));

            Assert.Null(broker.Failure);
            Assert.False(broker.IsRunning);
            await Assert.ThrowsAnyAsync<Exception>(() => publisher.PingAsync().WaitAsync(s_timeout));
        }
        finally
        {
            slow.Close();
            broker.Stop();
        }
    }

    [Fact]
    public async Task Full_OneSubscriberTakesNothingForSoftQueuedTime_CutOffAndThePausedPublisherCarriesOn()
    {
        const int Early = 1500, Messages = 3000, Cap = 300_000;
        var time = new FakeTimeProvider();
        var log = new BrokerLog();
        var trace = new Trace();
        var options = Options(time) with { MaxTotalQueuedBytes = Cap, SoftQueuedBytes = 1024 * 1024, Log = log.Add };
        var broker = Broker.Start(trace, options, nameof(Full_OneSubscriberTakesNothingForSoftQueuedTime_CutOffAndThePausedPublisherCarriesOn));
        log.Broker = broker;
        var stuck = await Subscriber.ConnectAsync(broker.EndPoint, trace, s_stopsReading);
        var reader = await Subscriber.ConnectAsync(broker.EndPoint, trace, new SubscriberOptions { KeepMessages = false });
        try
        {
            await stuck.SubscribeAsync("ticks");
            using var publisher = await Publisher.ConnectAsync(broker.EndPoint, trace);
            // First the stuck subscriber alone gets more than half the cap: once full, the broker stays full
            // until that backlog goes, however fast the reader reads.
            publisher.Publish(Enumerable.Range(0, Early).Select(i => ("ticks", $"early {i}")));
            await publisher.PingAsync().WaitAsync(s_timeout);
            Assert.True(broker.QueuedBytes > Cap / 2, $"only {broker.QueuedBytes:N0} bytes queued");
            await reader.SubscribeAsync("ticks");
            var publishing = Task.Run(() => publisher.Publish(Enumerable.Range(0, Messages).Select(i => ("ticks", $"tick {i}"))));
            long publishedWhenFull = await log.Full.WaitAsync(s_timeout);
            // The reader has everything published so far: its queue is empty, only the stuck one holds bytes.
            await reader.WaitForCountAsync(publishedWhenFull - Early, s_timeout);

            time.Advance(TimeSpan.FromSeconds(11));
            var closed = await WaitForCloseAsync(broker, stuck.Conn);
            output.WriteLine($"{closed.Reason}: {closed.Detail}");
            await log.Resumed.WaitAsync(s_timeout);
            await reader.WaitForCountAsync(Messages, s_timeout);
            await publishing.WaitAsync(s_timeout);
            await publisher.PingAsync().WaitAsync(s_timeout);

            Assert.Equal(CloseReason.SlowSubscriber, closed.Reason);
            Assert.Contains("took nothing for 11 s", closed.Detail, StringComparison.Ordinal);
            Assert.Contains("while the broker was full (MaxTotalQueuedBytes = 300,000)", closed.Detail, StringComparison.Ordinal);
            // The publisher was not read for 11 s on the broker's clock; that is no reason to close it.
            Assert.DoesNotContain(broker.Closed, c => c.Conn == publisher.Conn || c.Conn == reader.Conn);
            Assert.False(broker.IsFull);
        }
        finally
        {
            stuck.Close();
            reader.Close();
            broker.Stop();
        }
    }

    [Fact]
    public async Task Subscribe_1001PipelinedAtOnce_1000AcksOneErrorNamingTheLimitAndTheConnectionStays()
    {
        var trace = new Trace();
        var broker = Broker.Start(trace, name: nameof(Subscribe_1001PipelinedAtOnce_1000AcksOneErrorNamingTheLimitAndTheConnectionStays));
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveTimeout = 5000 };
        try
        {
            client.Connect(broker.EndPoint);
            client.Send([.. Enumerable.Range(0, 1001).SelectMany(i => PubSubCommand.Subscribe($"t{i}.").ToBytes())]);

            var decoder = new MessageDecoder();
            var replies = ReadReplies(client, decoder, 1001);
            using var publisher = await Publisher.ConnectAsync(broker.EndPoint, trace);
            publisher.Publish("t7.news", "still subscribed");
            var delivery = ReadReplies(client, decoder, 1).Single();

            Assert.Equal(Enumerable.Range(1, 1000).Select(n => $"subscribed t{n - 1}. {n}"), replies.Take(1000).Select(r => r.ToText()));
            Assert.Equal(PubSubVerb.Error, replies[^1].Verb);
            Assert.Equal("subscribe", replies[^1].Topic);
            Assert.Contains("MaxSubscriptions = 1,000 reached", replies[^1].Payload, StringComparison.Ordinal);
            Assert.Equal(PubSubCommand.Delivery("t7.news", "still subscribed"), delivery);
            Assert.DoesNotContain(broker.Closed, c => c.Reason == CloseReason.BadCommand);
        }
        finally
        {
            broker.Stop();
        }
    }

    [Fact]
    public async Task Subscribe_OneMoreThanMaxSubscriptions_RefusedAndEarlierSubscriptionsStay()
    {
        var trace = new Trace();
        var broker = Broker.Start(trace, new BrokerOptions { MaxSubscriptions = 50 }, nameof(Subscribe_OneMoreThanMaxSubscriptions_RefusedAndEarlierSubscriptionsStay));
        var subscriber = await Subscriber.ConnectAsync(broker.EndPoint, trace);
        try
        {
            for (int i = 0; i < 50; i++)
            {
                Assert.Equal(i + 1, await subscriber.SubscribeAsync($"topic{i}."));
            }
            Assert.Equal(50, await subscriber.SubscribeAsync("topic7.")); // the same prefix again is no new subscription

            var refused = await Assert.ThrowsAsync<BrokerRefusedException>(() => subscriber.SubscribeAsync("one-more"));
            // A prefix that only matches one it already has is a new subscription too.
            await Assert.ThrowsAsync<BrokerRefusedException>(() => subscriber.SubscribeAsync("topic7.x"));
            using var publisher = await Publisher.ConnectAsync(broker.EndPoint, trace);
            publisher.Publish("topic49.news", "delivered");

            Assert.Equal("subscribe", refused.Command);
            Assert.Contains("MaxSubscriptions = 50 reached", refused.Reason, StringComparison.Ordinal);
            Assert.Equal("delivered", (await subscriber.ReceiveAsync(1, s_timeout))[0].Payload);
            Assert.Equal(49, await subscriber.UnsubscribeAsync("topic0."));
            Assert.Empty(broker.Closed);
        }
        finally
        {
            subscriber.Close();
            broker.Stop();
        }
    }

    // Soft limit 20,000 bytes and a 4 KiB send buffer: a few hundred small messages not read are over it.
    private static BrokerOptions Options(TimeProvider time) =>
        new() { TimeProvider = time, SendBufferSize = 4096, SoftQueuedBytes = 20_000, MaxQueuedBytes = 1024 * 1024 };

    private static int Frame(string topic, string payload) => PubSubCommand.Delivery(topic, payload).ToBytes().Length;

    // The next `count` messages the broker sends to a plain socket; the decoder keeps what came after them.
    private static List<PubSubCommand> ReadReplies(Socket client, MessageDecoder decoder, int count)
    {
        var replies = new List<PubSubCommand>();
        var buffer = new byte[65536];
        while (replies.Count < count)
        {
            if (decoder.TryReadMessage(out var message))
            {
                Assert.True(PubSubCommand.TryParse(message, out var reply, out string error), error);
                replies.Add(reply);
                continue;
            }
            int received = client.Receive(buffer);
            Assert.True(received > 0, $"the broker closed after {replies.Count} of {count} replies");
            decoder.Feed(buffer.AsSpan(0, received));
        }
        return replies;
    }

    private static async Task<PubSubConnectionClosed> WaitForCloseAsync(Broker broker, int conn)
    {
        await broker.Trace.WaitForAsync(e => e.Conn == conn && e.Side == Side.Server && e.Kind == TraceKind.Close, s_timeout);
        return broker.Closed.Single(c => c.Conn == conn);
    }

    // The broker's log lines, and the moments it became full (with how many messages it had published) and resumed.
    private sealed class BrokerLog
    {
        private readonly TaskCompletionSource<long> _full = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _resumed = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly System.Collections.Concurrent.ConcurrentQueue<string> _lines = new();

        public Broker? Broker { get; set; }

        public Task<long> Full => _full.Task;

        public Task Resumed => _resumed.Task;

        public IEnumerable<string> Lines => _lines;

        // Runs on the broker's loop: Published is exact here.
        public void Add(string line)
        {
            _lines.Enqueue(line);
            if (line.StartsWith("Queues full: ", StringComparison.Ordinal))
            {
                _full.TrySetResult(Broker?.Published ?? -1);
            }
            else if (line.StartsWith("Queues down to ", StringComparison.Ordinal))
            {
                _resumed.TrySetResult();
            }
        }
    }
}
