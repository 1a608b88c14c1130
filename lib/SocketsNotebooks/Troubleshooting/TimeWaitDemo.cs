using Stopwatch = System.Diagnostics.Stopwatch;
using System.Net;
using System.Net.Sockets;
using SocketsNotebooks.Tracing;

namespace SocketsNotebooks.Troubleshooting;

/// <summary>
/// The tutorial's "Address already in use" after restarting a server: the side that closes a connection
/// first keeps it in TIME_WAIT (for about a minute on Linux) so stray packets of the old connection cannot
/// be mistaken for a new one. This demo puts the server's port in TIME_WAIT, shows the row, and binds again.
/// </summary>
/// <param name="Port">The server's port.</param>
/// <param name="Rows">The socket table for that port after the server closed first: the TIME_WAIT row is the old connection.</param>
/// <param name="RebindSucceeded">Whether a new listener could bind the port while the TIME_WAIT row was there.</param>
/// <param name="Rebind">What the new bind did, as an error row (<see cref="SocketError.Success"/> when it worked).</param>
public sealed record TimeWaitDemo(int Port, IReadOnlyList<SocketRow> Rows, bool RebindSucceeded, ErrorDemo Rebind)
{
    /// <summary>How long to wait for the old connection to reach TIME_WAIT (it takes the peer's FIN to get there).</summary>
    public static readonly TimeSpan StateTimeout = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Server listens, a client connects, the server closes first (it becomes the side in TIME_WAIT), the
    /// client closes, the listener closes; then a new listener binds the same port.
    /// </summary>
    public static TimeWaitDemo Run(Trace trace)
    {
        ArgumentNullException.ThrowIfNull(trace);
        int port;
        using (var listener = ErrorDemos.Listen(trace))
        {
            port = listener.LocalEndPoint!.Port;
            using var client = ErrorDemos.Connect(trace, listener);
            using var server = listener.Accept();
            // The server closes first, so its side is the one that goes to TIME_WAIT.
            server.Close(CloseReason.Done);
            client.Close(CloseReason.Done);
        }
        var rows = WaitForTimeWait(port);

        // .NET on Linux sets SO_REUSEADDR before every bind (strace shows it), so this bind works where
        // the Python tutorial's server, without setsockopt(SO_REUSEADDR), fails with [Errno 98].
        using var again = TracedSocket.Tcp(trace, Side.Server);
        const string Tried = "bind() a new listener to the port whose old connection is in TIME_WAIT";
        try
        {
            again.Bind(IPAddress.Loopback, port);
            again.Listen();
            return new TimeWaitDemo(port, rows, true, ErrorDemo.NoError(Tried,
                "The bind worked: .NET sets SO_REUSEADDR before bind on Unix, which lets a new listener share the port with TIME_WAIT leftovers. " +
                "Python's socket does not; the tutorial's server needs setsockopt(SOL_SOCKET, SO_REUSEADDR, 1) to restart at once."));
        }
        catch (SocketException e)
        {
            return new TimeWaitDemo(port, rows, false, ErrorDemo.From(Tried, e));
        }
    }

    private static IReadOnlyList<SocketRow> WaitForTimeWait(int port)
    {
        // The OS raises no event when a socket changes state, so poll the table, bounded. On loopback the
        // state is usually there on the first look.
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var rows = SocketTable.Snapshot(port);
            if (rows.Any(r => r.State == "TIME_WAIT") || clock.Elapsed > StateTimeout)
            {
                return rows;
            }
            Thread.Sleep(10);
        }
    }
}
