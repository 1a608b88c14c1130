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
    public void All_EveryDemo_FailsWithItsOwnError()
    {
        var demos = ErrorDemos.All(new Trace());

        Assert.Equal(
            [SocketError.ConnectionRefused, SocketError.AddressAlreadyInUse, SocketError.AddressAlreadyInUse, SocketError.ConnectionReset, SocketError.TimedOut],
            demos.Select(d => d.SocketError));
        Assert.All(demos, d => Assert.NotEqual("?", SocketErrorReference.Lookup(d.SocketError).Errno));
    }
}
