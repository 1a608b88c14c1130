namespace SocketsNotebooks.Tracing;

/// <summary>How charts and checks name and group the <see cref="Side"/>s.</summary>
internal static class SideNames
{
    /// <summary>Whether a call was the relay's, on either of its legs.</summary>
    public static bool IsRelay(this Side side) => side is Side.Relay or Side.RelayToServer;

    /// <summary>
    /// The side in a chart's words: <c>client</c>, <c>server</c>, and the relay's two legs as
    /// <c>relay ← client</c> (the socket facing the client) and <c>relay → server</c>; a listener
    /// (connection 0) faces nobody yet, so the relay's is just <c>relay</c>.
    /// </summary>
    public static string Label(this Side side, int conn = 1) => side switch
    {
        Side.Relay when conn == 0 => "relay",
        Side.Relay => "relay ← client",
        Side.RelayToServer => "relay → server",
        _ => side.ToString().ToLowerInvariant(),
    };

    /// <summary>Top to bottom, the way bytes travel: client, the relay's two legs, server.</summary>
    public static int Order(this Side side) => side switch
    {
        Side.Client => 0,
        Side.Relay => 1,
        Side.RelayToServer => 2,
        _ => 3,
    };
}
