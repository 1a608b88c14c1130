using System.Net;
using SocketsNotebooks.Troubleshooting;

namespace SocketsNotebooks.Tests.Troubleshooting;

public sealed class BindReachabilityTests
{
    [Fact]
    public void Run_Loopback_ReachesBothServers()
    {
        var loopback = BindReachability.Run().First();

        Assert.Equal("127.0.0.1", loopback.Address);
        Assert.Equal(("connected", "connected"), (loopback.LoopbackServer, loopback.AnyServer));
    }

    [Fact]
    public void Run_OtherAddressesOfThisMachine_ReachOnlyTheServerOnAnyAddress()
    {
        var others = BindReachability.Run().Where(r => !IPAddress.IsLoopback(IPAddress.Parse(r.Address))).ToArray();

        // A machine with no network interface besides loopback has nothing to show here.
        Assert.All(others, r => Assert.Equal(("ConnectionRefused", "connected"), (r.LoopbackServer, r.AnyServer)));
    }

    [Fact]
    public void Format_Rows_HeadingsNameBothServers()
    {
        string text = BindReachability.Format([new ReachRow("127.0.0.1", "lo", "connected", "connected")]);

        Assert.StartsWith("connect() to", text, StringComparison.Ordinal);
        Assert.Contains("server on 0.0.0.0", text, StringComparison.Ordinal);
        Assert.Contains("127.0.0.1 (lo)", text, StringComparison.Ordinal);
    }
}
