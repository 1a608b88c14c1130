using System.Net;
using System.Net.Sockets;
using SocketsNotebooks.Troubleshooting;

namespace SocketsNotebooks.Tests.Troubleshooting;

public sealed class SocketOwnersTests
{
    [Fact]
    public void Find_OurOwnListenerAndConnection_OwnedByThisProcessWithItsFds()
    {
        if (!SocketOwners.Available)
        {
            return; // /proc is Linux's.
        }
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen();
        int port = ((IPEndPoint)listener.LocalEndPoint!).Port;
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        client.Connect(listener.LocalEndPoint!);
        using var accepted = listener.Accept();

        var owners = SocketOwners.Find(port);

        Assert.Equal(3, owners.Count);
        Assert.All(owners, o => Assert.Equal(Environment.ProcessId, o.Pid));
        Assert.Equal("LISTEN", owners[0].Socket.State);
        Assert.Contains(owners, o => o.Fd == (int)listener.Handle);
        Assert.Contains($"pid={Environment.ProcessId},fd={(int)client.Handle}", SocketOwners.Format(owners), StringComparison.Ordinal);
    }

    [Fact]
    public void Find_PortNobodyUses_NoRows()
    {
        Assert.Empty(SocketOwners.Find(ErrorDemos.FreePort()));
    }
}
