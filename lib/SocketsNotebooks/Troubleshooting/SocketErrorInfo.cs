using System.Net.Sockets;

namespace SocketsNotebooks.Troubleshooting;

/// <summary>
/// One row of the error reference: the same failure as C#, the OS and Python name it.
/// </summary>
/// <param name="SocketError">What .NET puts in <see cref="SocketException.SocketErrorCode"/>.</param>
/// <param name="Errno">The POSIX errno name (what <c>strace</c>, C and Python's <c>errno</c> module call it).</param>
/// <param name="LinuxErrno">Its number on Linux (other systems number some errors differently).</param>
/// <param name="PythonException">What the Python tutorial's code would raise.</param>
/// <param name="Meaning">What happened, and the usual cause.</param>
public sealed record SocketErrorInfo(
    SocketError SocketError,
    string Errno,
    int LinuxErrno,
    string PythonException,
    string Meaning)
{
    /// <summary>The three names in one line: <c>ConnectionRefused ↔ ECONNREFUSED (111) ↔ ConnectionRefusedError</c>.</summary>
    public override string ToString() => $"{SocketError} ↔ {Errno} ({LinuxErrno}) ↔ {PythonException}";
}
