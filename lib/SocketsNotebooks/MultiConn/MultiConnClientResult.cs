using SocketsNotebooks.Tracing;

namespace SocketsNotebooks.MultiConn;

/// <summary>What a <see cref="MultiConnClient"/> run did: one result per connection, and the loop's statistics.</summary>
/// <param name="Connections">One row per connection, in the order they were started.</param>
/// <param name="Stats">The client loop's wake-ups and per-connection bytes.</param>
/// <param name="ElapsedMs">The whole run, from the first connect to the last close.</param>
public sealed record MultiConnClientResult(IReadOnlyList<ClientConnectionResult> Connections, LoopStats Stats, double ElapsedMs)
{
    /// <summary>True when every connection got back exactly what it sent and closed normally.</summary>
    public bool AllEchoed => Connections.Count > 0 && Connections.All(c => c.Echoed && c.CloseReason == CloseReason.Done);

    /// <summary>A one-line summary.</summary>
    public override string ToString() =>
        $"{Connections.Count(c => c.Echoed)}/{Connections.Count} connections echoed correctly in {ElapsedMs:0} ms; client loop: {Stats}";
}
