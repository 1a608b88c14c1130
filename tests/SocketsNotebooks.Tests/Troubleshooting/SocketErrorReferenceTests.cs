using System.Net.Sockets;
using SocketsNotebooks.Troubleshooting;

namespace SocketsNotebooks.Tests.Troubleshooting;

public sealed class SocketErrorReferenceTests
{
    [Fact]
    public void Table_EachSocketError_AppearsOnce() =>
        Assert.Equal(SocketErrorReference.Table.Count, SocketErrorReference.Table.Select(r => r.SocketError).Distinct().Count());

    [Theory]
    [InlineData(SocketError.ConnectionRefused, "ECONNREFUSED", 111, "ConnectionRefusedError")]
    [InlineData(SocketError.AddressAlreadyInUse, "EADDRINUSE", 98, "OSError: [Errno 98] Address already in use")]
    [InlineData(SocketError.ConnectionReset, "ECONNRESET", 104, "ConnectionResetError")]
    [InlineData(SocketError.WouldBlock, "EAGAIN / EWOULDBLOCK", 11, "BlockingIOError")]
    public void Lookup_TutorialError_ErrnoAndPythonException(SocketError error, string errno, int number, string python)
    {
        var row = SocketErrorReference.Lookup(error);

        Assert.Equal((errno, number, python), (row.Errno, row.LinuxErrno, row.PythonException));
    }

    [Fact]
    public void Lookup_ErrorNotInTable_SaysSo() =>
        Assert.Equal("?", SocketErrorReference.Lookup(SocketError.TooManyOpenSockets).Errno);

    [Fact]
    public void Table_OnLinux_ErrnoNumbersMatchWhatTheOsReports()
    {
        if (!OperatingSystem.IsLinux())
        {
            return; // errno numbers differ between systems; the table lists Linux's.
        }
        var refused = ErrorDemos.ConnectionRefused(new SocketsNotebooks.Tracing.Trace());

        Assert.Equal($"ECONNREFUSED ({SocketErrorReference.Lookup(SocketError.ConnectionRefused).LinuxErrno})", refused.Errno);
    }
}
