namespace SocketsNotebooks.Cli;

/// <summary>What one <c>sockets bench pubsub</c> run measured.</summary>
/// <param name="Subscribers">Subscribers connected, each subscribed to the benchmark's topic.</param>
/// <param name="Messages">Messages published.</param>
/// <param name="PayloadBytes">Bytes of payload per message.</param>
/// <param name="Seconds">From the first publish until every subscriber had every message.</param>
/// <param name="Delivered">Messages received, summed over the subscribers.</param>
/// <param name="CutOff">Subscribers the broker disconnected for falling behind (0 in a good run).</param>
public sealed record PubSubBenchResult(int Subscribers, int Messages, int PayloadBytes, double Seconds, long Delivered, int CutOff)
{
    /// <summary>Messages published per second.</summary>
    public double PublishedPerSecond => Messages / Seconds;

    /// <summary>Messages delivered per second, all subscribers together: the broker's fan-out rate.</summary>
    public double DeliveredPerSecond => Delivered / Seconds;
}
