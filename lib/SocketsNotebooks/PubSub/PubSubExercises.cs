using System.Net;
using SocketsNotebooks.Tracing;

namespace SocketsNotebooks.PubSub;

/// <summary>The "try this" cell of the pub/sub notebook and its check: pick prefixes that get exactly the downtown updates.</summary>
public static class PubSubExercises
{
    /// <summary>The zipcodes the exercise asks for: 10001 and 10003, every update of both and nothing else.</summary>
    public static IReadOnlyList<string> DowntownZipcodes { get; } = ["10001", "10003"];

    /// <summary>
    /// Runs the exercise: a subscriber subscribes to each of <paramref name="prefixes"/>, the weather
    /// station publishes <paramref name="updates"/> updates, and the subscriber collects what arrives
    /// (waiting, bounded, for as many as its prefixes match).
    /// </summary>
    public static async Task<FilterAttempt> TryFilterAsync(IPEndPoint broker, IEnumerable<string> prefixes, Trace trace, int updates = 200, int seed = 5)
    {
        ArgumentNullException.ThrowIfNull(prefixes);
        string[] chosen = prefixes.ToArray();
        var published = WeatherStation.Updates(updates, seed);
        var subscriber = await Subscriber.ConnectAsync(broker, trace).ConfigureAwait(false);
        try
        {
            foreach (string prefix in chosen)
            {
                await subscriber.SubscribeAsync(prefix).ConfigureAwait(false);
            }
            using (var publisher = await Publisher.ConnectAsync(broker, trace).ConfigureAwait(false))
            {
                WeatherStation.Publish(publisher, published);
                await publisher.PingAsync().ConfigureAwait(false);
            }
            int expected = published.Count(u => chosen.Any(p => u.Zipcode.StartsWith(p, StringComparison.Ordinal)));
            await subscriber.WaitForCountAsync(expected, TimeSpan.FromSeconds(5)).ConfigureAwait(false);
            // A ping through the subscriber's own connection: anything queued for it before has arrived too.
            await subscriber.PingAsync().ConfigureAwait(false);
            return new FilterAttempt(chosen, published, subscriber.Messages);
        }
        finally
        {
            subscriber.Close();
        }
    }

    /// <summary>Says ✅ when the subscriber got every update for <see cref="DowntownZipcodes"/>, in order, and nothing else; ❌ and why otherwise.</summary>
    public static string CheckDowntownFilter(FilterAttempt attempt)
    {
        ArgumentNullException.ThrowIfNull(attempt);
        var wanted = attempt.Published.Where(u => DowntownZipcodes.Contains(u.Zipcode)).Select(u => u.ToString()).ToArray();
        var got = attempt.Received.Select(m => m.ToString()).ToArray();
        var extra = attempt.Received.Where(m => !DowntownZipcodes.Contains(m.Topic)).ToArray();
        int missing = wanted.Length - got.Count(g => DowntownZipcodes.Contains(g.Split(' ')[0]));
        if (attempt.Prefixes.Count == 0)
        {
            return "❌ No subscriptions: a subscriber that subscribed to nothing receives nothing. Put at least one prefix in the list.";
        }
        if (extra.Length > 0)
        {
            string from = string.Join(", ", extra.Select(m => m.Topic).Distinct().Order(StringComparer.Ordinal));
            return $"❌ {extra.Length} update(s) arrived from {from}, which you did not want. A prefix matches every topic that starts with it: "
                + "make it longer, so it stops at the zipcodes you want.";
        }
        if (missing > 0)
        {
            var missed = DowntownZipcodes.Where(z => !attempt.Received.Any(m => m.Topic == z));
            return $"❌ {missing} of the {wanted.Length} downtown updates did not arrive (none at all from {string.Join(", ", missed)}). "
                + "Every zipcode you want must start with one of your prefixes.";
        }
        if (!wanted.SequenceEqual(got))
        {
            return "❌ The right updates arrived, but not in the order they were published: that would be a broker bug.";
        }
        string how = attempt.Prefixes.Count == 1
            ? $"with the single prefix '{attempt.Prefixes[0]}'"
            : $"with {attempt.Prefixes.Count} subscriptions (one prefix can do it: what do 10001 and 10003 start with that 10010 does not?)";
        return $"✅ All {wanted.Length} updates for {string.Join(" and ", DowntownZipcodes)} arrived, in order, and nothing else, {how}. "
            + "The broker did the filtering: the other updates never crossed your connection.";
    }
}
