namespace SocketsNotebooks.PubSub;

/// <summary>One run of the notebook's filter exercise: the prefixes tried, what was published, what arrived.</summary>
/// <param name="Prefixes">The subscriptions the subscriber made.</param>
/// <param name="Published">Every update the station published, in order.</param>
/// <param name="Received">What the subscriber received, in order.</param>
public sealed record FilterAttempt(IReadOnlyList<string> Prefixes, IReadOnlyList<WeatherUpdate> Published, IReadOnlyList<PubSubMessage> Received)
{
    /// <inheritdoc/>
    public override string ToString() =>
        $"subscribed to [{string.Join(", ", Prefixes.Select(p => $"'{p}'"))}]: {Received.Count} of {Published.Count} updates arrived, from {string.Join(", ", Received.Select(m => m.Topic).Distinct().Order(StringComparer.Ordinal))}";
}
