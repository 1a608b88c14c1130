namespace SocketsNotebooks.PubSub;

/// <summary>
/// The broker answered a request with <c>error &lt;command&gt; &lt;reason&gt;</c> (<see cref="PubSubVerb.Error"/>):
/// it refused that one request, e.g. a <c>subscribe</c> past <see cref="BrokerOptions.MaxSubscriptions"/>.
/// The connection stays open and everything asked before still stands.
/// </summary>
public sealed class BrokerRefusedException : Exception
{
    /// <summary>The refusal <paramref name="reply"/> the broker sent.</summary>
    public BrokerRefusedException(PubSubCommand reply)
        : base($"The broker refused '{reply?.Topic}': {reply?.Payload}")
    {
        ArgumentNullException.ThrowIfNull(reply);
        Command = reply.Topic;
        Reason = reply.Payload;
    }

    /// <summary>The refused command's verb, as on the wire: <c>subscribe</c>.</summary>
    public string Command { get; }

    /// <summary>Why, naming the limit (e.g. <c>MaxSubscriptions = 1,000 reached ...</c>).</summary>
    public string Reason { get; }
}
