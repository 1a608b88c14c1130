using System.Net.Sockets;
using SocketsNotebooks.AppProtocol;
using SocketsNotebooks.PubSub;
using SocketsNotebooks.Tracing;
using Trace = SocketsNotebooks.Tracing.Trace;

namespace SocketsNotebooks.Tests.PubSub;

// The broker's limits.
public sealed class BrokerLimitsTests
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(10);

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
}
