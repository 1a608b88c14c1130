using SocketsNotebooks.Tracing;
using SocketsNotebooks.Troubleshooting;

namespace SocketsNotebooks.Tests.Troubleshooting;

public sealed class TimeWaitDemoTests
{
    [Fact]
    public void Run_ServerClosesFirst_ItsPortShowsTimeWait()
    {
        var demo = TimeWaitDemo.Run(new Trace());

        Assert.Contains(demo.Rows, r => r.State == "TIME_WAIT" && r.LocalPort() == demo.Port);
    }

    [Fact]
    public void Run_OnLinux_DotNetRebindsThePortDespiteTimeWait()
    {
        var demo = TimeWaitDemo.Run(new Trace());

        // .NET sets SO_REUSEADDR before bind on Unix; on Windows TIME_WAIT never blocked a new listener.
        Assert.True(demo.RebindSucceeded, demo.Rebind.Message);
        Assert.Equal(System.Net.Sockets.SocketError.Success, demo.Rebind.SocketError);
    }
}
