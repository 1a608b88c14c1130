using System.Net;
using System.Net.Sockets;
using SocketsNotebooks.Tracing;

namespace SocketsNotebooks.Troubleshooting;

/// <summary>
/// Makes the common socket errors happen for real, on 127.0.0.1, and returns each as an <see cref="ErrorDemo"/>
/// row (the tutorial's reference section lists them; here they are caught live). Every demo closes what it opened.
/// </summary>
public static class ErrorDemos
{
    /// <summary>The longest any demo call may block, so a demo that misbehaves still ends.</summary>
    public static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Connects to a port nobody listens on. The port comes from binding a socket to port 0 and closing it
    /// at once: free a moment ago, and very likely still free.
    /// </summary>
    public static ErrorDemo ConnectionRefused(Trace trace)
    {
        int port = FreePort();
        using var client = TracedSocket.Tcp(trace, Side.Client);
        string tried = $"connect() to 127.0.0.1:{port}, where nothing listens";
        return Catch(tried, () => client.Connect(new IPEndPoint(IPAddress.Loopback, port)));
    }

    /// <summary>
    /// Binds a second socket to the port of a running listener, like starting the tutorial's server twice.
    /// With <paramref name="reuseAddress"/> the second socket sets <c>ReuseAddress</c> first, and on Linux it
    /// still fails. .NET sets SO_REUSEADDR before every TCP bind on Unix, so the listener has it already, but
    /// on Linux SO_REUSEADDR never lets a second socket bind a port that has a listener. .NET's
    /// <c>ReuseAddress</c> also sets SO_REUSEPORT, which would, if the listener had set it too
    /// (<see cref="ReusePortDemo"/>); it did not.
    /// </summary>
    public static ErrorDemo AddressInUse(Trace trace, bool reuseAddress = false)
    {
        using var first = Listen(trace);
        using var second = TracedSocket.Tcp(trace, Side.Server);
        if (reuseAddress)
        {
            second.Socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        }
        string tried = $"bind() a second socket{(reuseAddress ? " with ReuseAddress" : "")} to {first.LocalEndPoint}, where a server is listening";
        return Catch(tried, () => second.Bind(first.LocalEndPoint!));
    }

    /// <summary>
    /// The peer closes with linger on and a 0 s timeout, which aborts the connection: the OS sends RST
    /// instead of FIN, and our pending <c>recv()</c> fails instead of returning 0.
    /// </summary>
    public static ErrorDemo ConnectionReset(Trace trace)
    {
        using var listener = Listen(trace);
        using var client = Connect(trace, listener);
        using var server = listener.Accept();
        // What the learner would write: SO_LINGER on with 0 s, then an ordinary close().
        server.Socket.LingerState = new LingerOption(true, 0);
        server.Close();
        client.ReceiveTimeout = (int)CallTimeout.TotalMilliseconds;
        return Catch("recv() after the peer closed with LingerState(true, 0)", () => client.Receive(1024));
    }

    /// <summary>
    /// Waits for data the peer never sends, with <c>ReceiveTimeout</c> set (SO_RCVTIMEO). The call blocks for
    /// <paramref name="timeoutMs"/> milliseconds before it fails. The kernel's answer is EAGAIN, not ETIMEDOUT
    /// (strace shows <c>recvmsg(...) = -1 EAGAIN</c>); .NET turns it into <see cref="SocketError.TimedOut"/>
    /// itself, so the row says which errno really came back.
    /// </summary>
    public static ErrorDemo TimedOut(Trace trace, int timeoutMs = 300)
    {
        using var listener = Listen(trace);
        using var client = Connect(trace, listener);
        using var server = listener.Accept();
        client.ReceiveTimeout = timeoutMs;
        var demo = Catch($"recv() with ReceiveTimeout = {timeoutMs} ms from a peer that sends nothing", () => client.Receive(1024));
        return demo.SocketError != SocketError.TimedOut ? demo : demo with
        {
            Errno = "EAGAIN (11), not ETIMEDOUT: the recv() timeout ran out",
            PythonException = "TimeoutError('timed out'), errno None (Python's settimeout() waits with poll(), not SO_RCVTIMEO)",
            Meaning = "The receive timeout ran out before any byte came. The connection is fine; only this call gave up. "
                + "ETIMEDOUT (110) is something else: the kernel giving up on the peer (connect, retransmissions, keepalive).",
        };
    }

    /// <summary>The four live demos in a row: refused, address in use (without and with ReuseAddress), reset, timed out.</summary>
    public static IReadOnlyList<ErrorDemo> All(Trace trace) =>
    [
        ConnectionRefused(trace),
        AddressInUse(trace),
        AddressInUse(trace, reuseAddress: true),
        ConnectionReset(trace),
        TimedOut(trace),
    ];

    /// <summary>
    /// A port that was free a moment ago: bind port 0, read the port the OS chose, close. (Another program
    /// could take it in between; on a quiet machine that is rare, which is good enough for a demo.)
    /// </summary>
    public static int FreePort()
    {
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)probe.LocalEndPoint!).Port;
    }

    internal static TracedSocket Listen(Trace trace, int port = 0)
    {
        var listener = TracedSocket.Tcp(trace, Side.Server);
        listener.Bind(IPAddress.Loopback, port);
        listener.Listen();
        return listener;
    }

    internal static TracedSocket Connect(Trace trace, TracedSocket listener)
    {
        var client = TracedSocket.Tcp(trace, Side.Client);
        client.Connect(listener.LocalEndPoint!);
        return client;
    }

    private static ErrorDemo Catch(string tried, Action call)
    {
        try
        {
            call();
            return ErrorDemo.NoError(tried, "The call succeeded: this OS did not raise the error the demo expected.");
        }
        catch (SocketException e)
        {
            return ErrorDemo.From(tried, e);
        }
    }
}
