namespace SocketsNotebooks.PubSub;

/// <summary>One point of a subscriber's history: how far it had got at a moment.</summary>
/// <param name="TimeMs">When, in ms on the broker's clock.</param>
/// <param name="Delivered">Published messages handed to this subscriber's socket so far (whole messages).</param>
/// <param name="Queued">Messages waiting in its outgoing queue at that moment.</param>
public readonly record struct DeliverySample(double TimeMs, long Delivered, int Queued);
