using SocketsNotebooks.MultiConn;
using SocketsNotebooks.Tracing;

namespace SocketsNotebooks.Tests.MultiConn;

public sealed class LoopStatsTests
{
    [Fact]
    public void Connections_MoreClosedThanKept_NewestClosedAndEveryOpenOneStayCountedInSeen()
    {
        var stats = new LoopStats();
        stats.Opened(1, "kept open");
        for (int conn = 2; conn < LoopStats.MaxClosedKept + 7; conn++)
        {
            stats.Opened(conn, "short-lived");
            stats.Received(conn, 10);
            stats.Sent(conn, 10);
            stats.Closed(conn, CloseReason.PeerClosed);
        }
        stats.Received(1, 5);

        var connections = stats.Connections;

        Assert.Equal(LoopStats.MaxClosedKept + 6, stats.ConnectionsSeen);
        Assert.Equal(LoopStats.MaxClosedKept + 1, connections.Count);
        Assert.Equal((1, 5L, 1, CloseReason.Open), (connections[0].Conn, connections[0].BytesIn, connections[0].Recvs, connections[0].CloseReason));
        // The five oldest closed connections (2 to 6) were dropped; the newest is there, whole.
        Assert.Equal(7, connections[1].Conn);
        var newest = connections[^1];
        Assert.Equal((LoopStats.MaxClosedKept + 6, 10L, 10L, 1, 1, CloseReason.PeerClosed), (newest.Conn, newest.BytesIn, newest.BytesOut, newest.Recvs, newest.Sends, newest.CloseReason));
        Assert.NotNull(newest.ClosedMs);
    }

    [Fact]
    public void Closed_Twice_SecondReasonIgnored()
    {
        var stats = new LoopStats();
        stats.Opened(1, "peer");
        stats.Closed(1, CloseReason.PeerReset);
        stats.Closed(1, CloseReason.Stopped);

        Assert.Equal(CloseReason.PeerReset, Assert.Single(stats.Connections).CloseReason);
    }
}
