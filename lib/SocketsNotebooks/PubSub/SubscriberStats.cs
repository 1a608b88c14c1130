using SocketsNotebooks.Tracing;

namespace SocketsNotebooks.PubSub;

/// <summary>
/// What the <see cref="Broker"/> did for one subscriber (a snapshot): its subscriptions, how many
/// messages it delivered, how full the outgoing queue got, and, once closed, why. <see cref="Samples"/>
/// is the history the charts draw.
/// </summary>
/// <param name="Conn">The trace's connection id.</param>
/// <param name="Peer">The subscriber's address and port.</param>
/// <param name="Subscriptions">The prefixes it subscribed to, in order (empty = every topic).</param>
/// <param name="Delivered">Published messages handed to its socket (whole messages).</param>
/// <param name="Queued">Messages waiting in its outgoing queue now.</param>
/// <param name="QueuedBytes">Bytes waiting in its outgoing queue now.</param>
/// <param name="PeakQueued">The most messages its queue ever held.</param>
/// <param name="CloseReason">Why it was closed, or null while open.</param>
/// <param name="CloseDetail">The close reason in words (e.g. the limit reached).</param>
/// <param name="OpenedMs">When it connected, in ms on the broker's clock.</param>
/// <param name="ClosedMs">When it was closed, or null while open.</param>
/// <param name="Samples">Delivered and queued counts over time, sampled every <see cref="BrokerOptions.SampleInterval"/>.</param>
public sealed record SubscriberStats(
    int Conn,
    string Peer,
    IReadOnlyList<string> Subscriptions,
    long Delivered,
    int Queued,
    long QueuedBytes,
    int PeakQueued,
    CloseReason? CloseReason,
    string CloseDetail,
    double OpenedMs,
    double? ClosedMs,
    IReadOnlyList<DeliverySample> Samples)
{
    /// <summary>Whether the broker cut this subscriber off for not keeping up.</summary>
    public bool CutOff => CloseReason == Tracing.CloseReason.SlowSubscriber;

    /// <inheritdoc/>
    public override string ToString() =>
        $"conn {Conn} [{string.Join(", ", Subscriptions.Select(s => s.Length == 0 ? "*" : s + "*"))}]: {Delivered:N0} delivered, {Queued} queued"
        + (CloseReason is { } reason ? $", closed ({reason}{(CloseDetail.Length > 0 ? ": " + CloseDetail : "")})" : "");
}
