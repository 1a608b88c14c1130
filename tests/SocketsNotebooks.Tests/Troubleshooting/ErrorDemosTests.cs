using System.Net.Sockets;
using SocketsNotebooks.Tracing;
using SocketsNotebooks.Troubleshooting;

namespace SocketsNotebooks.Tests.Troubleshooting;

public sealed class ErrorDemosTests
{
    [Fact]
    public void ConnectionRefused_NobodyListening_ConnectionRefusedError()
    {
        var demo = ErrorDemos.ConnectionRefused(new Trace());

        Assert.Equal(SocketError.ConnectionRefused, demo.SocketError);
        Assert.StartsWith("ECONNREFUSED", demo.Errno, StringComparison.Ordinal);
        Assert.Equal("ConnectionRefusedError", demo.PythonException);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void AddressInUse_SecondBindWhileListening_AddressAlreadyInUse(bool reuseAddress)
    {
        var demo = ErrorDemos.AddressInUse(new Trace(), reuseAddress);

        Assert.Equal(SocketError.AddressAlreadyInUse, demo.SocketError);
        Assert.StartsWith("EADDRINUSE", demo.Errno, StringComparison.Ordinal);
        Assert.Equal("OSError: [Errno 98] Address already in use", demo.PythonException);
        Assert.Equal(reuseAddress, demo.Tried.Contains("ReuseAddress", StringComparison.Ordinal));
    }

    [Fact]
    public void ConnectionReset_PeerClosesWithLingerZero_ConnectionResetError()
    {
        var trace = new Trace();

        var demo = ErrorDemos.ConnectionReset(trace);

        Assert.Equal(SocketError.ConnectionReset, demo.SocketError);
        Assert.Equal("ConnectionResetError", demo.PythonException);
        Assert.Contains(trace.Events, e => e.Kind == TraceKind.Error && e.Side == Side.Client && e.Note.StartsWith("ConnectionReset", StringComparison.Ordinal));
    }

    [Fact]
    public void TimedOut_PeerSendsNothing_TimedOutAfterReceiveTimeout()
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();

        var demo = ErrorDemos.TimedOut(new Trace(), timeoutMs: 100);

        Assert.Equal(SocketError.TimedOut, demo.SocketError);
        Assert.StartsWith("TimeoutError", demo.PythonException, StringComparison.Ordinal);
        Assert.InRange(clock.ElapsedMilliseconds, 90, 2000);
    }

    [Fact]
    public void TimedOut_ReceiveTimeout_RowSaysEagainNotEtimedout()
    {
        var demo = ErrorDemos.TimedOut(new Trace(), timeoutMs: 50);

        // SO_RCVTIMEO running out is EAGAIN from the kernel; .NET names it TimedOut itself.
        Assert.StartsWith("EAGAIN (11), not ETIMEDOUT", demo.Errno, StringComparison.Ordinal);
        Assert.Contains("errno None", demo.PythonException, StringComparison.Ordinal);
    }

    [Fact]
    public void Reference_TimedOutAndReset_NameTheRealCauses()
    {
        string timedOut = SocketErrorReference.Lookup(SocketError.TimedOut).Meaning;
        string reset = SocketErrorReference.Lookup(SocketError.ConnectionReset).Meaning;

        Assert.Contains("EAGAIN", timedOut, StringComparison.Ordinal);
        Assert.Contains("keepalive", timedOut, StringComparison.Ordinal);
        Assert.Contains("unread data", reset, StringComparison.Ordinal);
        Assert.Contains("killed process usually does not cause one", reset, StringComparison.Ordinal);
    }

    [Fact]
    public void ReusePortDemo_BothListenersOptIn_BothBindAndBothGetConnections()
    {
        if (!OperatingSystem.IsLinux())
        {
            return; // SO_REUSEPORT spreading connections is Linux's behaviour.
        }

        var demo = ReusePortDemo.Run(new Trace(), connections: 100);

        Assert.Equal(100, demo.FirstListener + demo.SecondListener);
        // The kernel picks a listener by a hash of each connection's ports: with 100 connections, both get some.
        Assert.InRange(demo.FirstListener, 1, 99);
        Assert.Equal(2, demo.Listeners.Count);
    }

    [Fact]
    public void All_EveryDemo_FailsWithItsOwnError()
    {
        var demos = ErrorDemos.All(new Trace());

        Assert.Equal(
            [SocketError.ConnectionRefused, SocketError.AddressAlreadyInUse, SocketError.AddressAlreadyInUse, SocketError.ConnectionReset, SocketError.TimedOut],
            demos.Select(d => d.SocketError));
        Assert.All(demos, d => Assert.NotEqual("?", SocketErrorReference.Lookup(d.SocketError).Errno));
    }
}
