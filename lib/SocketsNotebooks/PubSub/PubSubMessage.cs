namespace SocketsNotebooks.PubSub;

/// <summary>One published message as a subscriber received it.</summary>
/// <param name="Topic">The topic it was published on, e.g. a zipcode.</param>
/// <param name="Payload">What the publisher sent with it.</param>
/// <param name="ReceivedMs">When the subscriber decoded it, in ms since the subscriber connected.</param>
public sealed record PubSubMessage(string Topic, string Payload, double ReceivedMs)
{
    /// <inheritdoc/>
    public override string ToString() => Payload.Length == 0 ? Topic : $"{Topic} {Payload}";
}
