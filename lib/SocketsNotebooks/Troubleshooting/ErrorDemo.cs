using System.Net.Sockets;

namespace SocketsNotebooks.Troubleshooting;

/// <summary>The outcome of one live error demo: what was tried and how C#, the OS and Python name what went wrong.</summary>
/// <param name="Tried">The socket calls that were made, in a sentence.</param>
/// <param name="SocketError">The <see cref="SocketException.SocketErrorCode"/> that was caught (<see cref="SocketError.Success"/> if nothing failed).</param>
/// <param name="Errno">The errno name, with the number this OS reported, e.g. <c>ECONNREFUSED (111)</c>.</param>
/// <param name="PythonException">What the Python tutorial's code would have raised.</param>
/// <param name="Meaning">What it means and the usual cause.</param>
/// <param name="Message">The exception's own message, as the OS worded it.</param>
public sealed record ErrorDemo(
    string Tried,
    SocketError SocketError,
    string Errno,
    string PythonException,
    string Meaning,
    string Message)
{
    /// <summary>Builds the row for a caught exception, looking its names up in <see cref="SocketErrorReference"/>.</summary>
    public static ErrorDemo From(string tried, SocketException e)
    {
        ArgumentNullException.ThrowIfNull(e);
        var info = SocketErrorReference.Lookup(e.SocketErrorCode);
        return new ErrorDemo(tried, e.SocketErrorCode, $"{info.Errno} ({e.NativeErrorCode})", info.PythonException, info.Meaning, e.Message);
    }

    /// <summary>One line: what was tried, then the three names of what went wrong.</summary>
    public override string ToString() => $"{Tried}: {SocketError} ↔ {Errno} ↔ {PythonException}";

    /// <summary>The row for a demo whose calls all succeeded.</summary>
    public static ErrorDemo NoError(string tried, string meaning) =>
        new(tried, SocketError.Success, "-", "(no exception)", meaning, "");
}
