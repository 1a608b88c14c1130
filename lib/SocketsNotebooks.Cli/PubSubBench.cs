using Stopwatch = System.Diagnostics.Stopwatch;
using System.Net;
using SocketsNotebooks.PubSub;
using SocketsNotebooks.Tracing;

namespace SocketsNotebooks.Cli;

/// <summary>
/// The load of <c>sockets bench pubsub</c>: S subscribers on one topic, one publisher sending M messages
/// as fast as the slowest subscriber allows. The publisher keeps at most <see cref="Window"/> messages
/// ahead of the slowest subscriber, so the run measures the broker's fan-out rate, not how fast it
/// cuts off subscribers whose queue limit a flood would overrun.
/// </summary>
public sealed class PubSubBench(IPEndPoint broker, int subscribers, int messages, int payloadBytes, int window, Trace trace)
{
    /// <summary>The one topic every subscriber of the run subscribes to.</summary>
    public const string Topic = "bench";
    private const int Batch = 100;
    private static readonly TimeSpan s_stallLimit = TimeSpan.FromSeconds(30);

    /// <summary>How many messages the publisher may be ahead of the slowest subscriber.</summary>
    public int Window { get; } = window;

    /// <summary>Messages published so far (for a progress bar).</summary>
    public long Published { get; private set; }

    /// <summary>Connects, subscribes, publishes, and waits until every subscriber has every message.</summary>
    public async Task<PubSubBenchResult> RunAsync(CancellationToken cancellationToken)
    {
        var options = new SubscriberOptions { KeepMessages = false };
        var connected = new List<Subscriber>();
        try
        {
            for (int i = 0; i < subscribers; i++)
            {
                connected.Add(await Subscriber.ConnectAsync(broker, trace, options, cancellationToken).ConfigureAwait(false));
            }
            await Task.WhenAll(connected.Select(s => s.SubscribeAsync(Topic))).ConfigureAwait(false);
            using var publisher = await Publisher.ConnectAsync(broker, trace, cancellationToken: cancellationToken).ConfigureAwait(false);
            string payload = new('x', payloadBytes);

            var clock = Stopwatch.StartNew();
            int published = 0;
            while (published < messages)
            {
                cancellationToken.ThrowIfCancellationRequested();
                int batch = Math.Min(Math.Min(Batch, Window), messages - published);
                await CatchUpAsync(connected, published + batch - Window).ConfigureAwait(false);
                publisher.Publish(Enumerable.Repeat((Topic, payload), batch));
                published += batch;
                Published = published;
            }
            await CatchUpAsync(connected, messages).ConfigureAwait(false);
            clock.Stop();
            int cutOff = connected.Count(s => s.Closed.IsCompleted);
            return new PubSubBenchResult(subscribers, messages, payloadBytes, clock.Elapsed.TotalSeconds, connected.Sum(s => s.Count), cutOff);
        }
        finally
        {
            connected.ForEach(s => s.Close());
        }
    }

    // Waits until every subscriber has at least `target` messages, slowest first.
    private static async Task CatchUpAsync(List<Subscriber> connected, long target)
    {
        if (target <= 0)
        {
            return;
        }
        foreach (var subscriber in connected.OrderBy(s => s.Count))
        {
            await subscriber.WaitForCountAsync(target, s_stallLimit).ConfigureAwait(false);
        }
    }
}
