using System.Net;
using System.Net.Sockets;
using SocketsNotebooks.Troubleshooting;

namespace SocketsNotebooks.Tests.Troubleshooting;

public sealed class SocketTableTests
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(2);

    private static Socket Listener()
    {
        var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen();
        return listener;
    }

    [Fact]
    public void Snapshot_ListeningSocket_ShowsListenRowForItsPort()
    {
        using var listener = Listener();
        int port = ((IPEndPoint)listener.LocalEndPoint!).Port;

        var rows = SocketTable.Snapshot(port);

        // Only live sockets: a TIME_WAIT leftover of an older connection may share the port number.
        var row = Assert.Single(rows, r => r.State != "TIME_WAIT");
        Assert.Equal(("tcp", $"127.0.0.1:{port}", "LISTEN"), (row.Proto, row.Local, row.State));
    }

    [Fact]
    public void Snapshot_FilteredByPort_OnlyRowsInvolvingThatPort()
    {
        using var listener = Listener();
        int port = ((IPEndPoint)listener.LocalEndPoint!).Port;
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        client.Connect(listener.LocalEndPoint!);
        using var server = listener.Accept();

        int clientPort = ((IPEndPoint)client.LocalEndPoint!).Port;

        var rows = SocketTable.Snapshot(port);

        Assert.All(rows, r => Assert.True(r.Involves(port)));
        // Leftovers of older connections that used the same port number (TIME_WAIT, FIN_WAIT2, …; other
        // tests open thousands) may be listed too; this connection's three sockets must be, listener first.
        Assert.Equal("LISTEN", rows[0].State);
        Assert.Contains(rows, r => r.State == "LISTEN" && r.LocalPort() == port);
        Assert.Contains(rows, r => r.State == "ESTABLISHED" && r.LocalPort() == port && r.RemotePort() == clientPort);
        Assert.Contains(rows, r => r.State == "ESTABLISHED" && r.LocalPort() == clientPort && r.RemotePort() == port);
    }

    [Fact]
    public void Snapshot_PeerThatDoesNotRead_ServerRowShowsBytesInRecvQ()
    {
        Assert.True(SocketTable.HasQueues == OperatingSystem.IsLinux());
        if (!SocketTable.HasQueues)
        {
            return; // Only Linux reports queue sizes; elsewhere the rows say so (see the portable test below).
        }
        using var listener = Listener();
        int port = ((IPEndPoint)listener.LocalEndPoint!).Port;
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        client.Connect(listener.LocalEndPoint!);
        using var server = listener.Accept();
        int clientPort = ((IPEndPoint)client.LocalEndPoint!).Port;

        client.Send(new byte[1234]);

        // The bytes cross loopback at once, but not synchronously with Send: wait (bounded, with
        // SpinWait's backing off) until the server socket itself reports them queued (FIONREAD).
        Assert.True(SpinWait.SpinUntil(() => server.Available == 1234, s_timeout), "the 1234 bytes never reached the server's receive queue");
        var serverRow = SocketTable.Snapshot(port).SingleOrDefault(r => r.LocalPort() == port && r.RemotePort() == clientPort);
        Assert.NotNull(serverRow);
        Assert.Equal(("ESTABLISHED", 1234, 0, "/proc/net/tcp"), (serverRow.State, serverRow.RecvQ, serverRow.SendQ, serverRow.Source));
    }

    [Fact]
    public void Snapshot_ClosedPortOnly_NoRows()
    {
        int port = ErrorDemos.FreePort();

        Assert.DoesNotContain(SocketTable.Snapshot(port), r => r.State is "LISTEN" or "ESTABLISHED");
    }

    [Fact]
    public void Format_Rows_NetstatColumnsWithDashForUnknownQueues()
    {
        SocketRow[] rows =
        [
            new("tcp", "127.0.0.1:65432", "0.0.0.0:0", "LISTEN", 0, 0, "/proc/net/tcp"),
            new("tcp6", "[::1]:80", "[::1]:50110", "ESTABLISHED", null, null, SocketTable.PortableSource),
        ];

        string[] lines = SocketTable.Format(rows).Split('\n');

        Assert.Equal("Proto  Recv-Q  Send-Q Local Address   Foreign Address State", lines[0]);
        Assert.Equal("tcp         0       0 127.0.0.1:65432 0.0.0.0:0       LISTEN", lines[1]);
        Assert.Equal("tcp6        -       - [::1]:80        [::1]:50110     ESTABLISHED", lines[2]);
    }

    [Fact]
    public void ToString_Row_OneNetstatLikeLine() =>
        Assert.Equal("tcp 127.0.0.1:65432 → 127.0.0.1:50110 ESTABLISHED Recv-Q 1000 Send-Q -",
            new SocketRow("tcp", "127.0.0.1:65432", "127.0.0.1:50110", "ESTABLISHED", 1000, null, "x").ToString());

    [Fact]
    public void PortableSnapshot_ConnectedPair_StatesWithoutQueues()
    {
        using var listener = Listener();
        int port = ((IPEndPoint)listener.LocalEndPoint!).Port;
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        client.Connect(listener.LocalEndPoint!);
        using var server = listener.Accept();

        var rows = SocketTable.PortableSnapshot(port).Where(r => r.State != "TIME_WAIT").ToArray();

        Assert.Equal(["ESTABLISHED", "ESTABLISHED", "LISTEN"], rows.Select(r => r.State).Order());
        Assert.All(rows, r => Assert.Equal((null, null, SocketTable.PortableSource), (r.RecvQ, r.SendQ, r.Source)));
        Assert.Contains(rows, r => r.State == "LISTEN" && r.Local == $"127.0.0.1:{port}");
    }
}
