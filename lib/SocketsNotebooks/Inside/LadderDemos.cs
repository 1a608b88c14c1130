using System.Net;
using System.Net.Sockets;
using SocketsNotebooks.Echo;
using SocketsNotebooks.Tracing;
using SocketsNotebooks.Troubleshooting;

namespace SocketsNotebooks.Inside;

/// <summary>
/// Notebook 07's ladders: one echo exchange from connect to close, a reset, and notebook 04's full buffers made
/// small enough to read segment by segment. Each captures its own connection live when this process may capture
/// (<see cref="Rights"/>) and otherwise reads the recording of the same experiment that comes with the course.
/// </summary>
public static partial class LadderDemos
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(5);
    private static readonly Lazy<CaptureRights> s_rights = new(() => SegmentCapture.Check());

    /// <summary>Whether the demos capture live here (checked once per process), and why not.</summary>
    public static CaptureRights Rights => s_rights.Value;

    /// <summary>
    /// The course's echo server and one client: connect, <c>b'Hello, world'</c> there and back, the client closes.
    /// Live, the socket table is read right after, to see which side's socket waits in TIME_WAIT.
    /// </summary>
    /// <param name="pcapFolder">Where a live capture is written as <c>echo.pcap</c> (default: the repository's artifacts/captures/).</param>
    /// <param name="live">Null: live when <see cref="Rights"/> allow; false: the recording even where capture works.</param>
    public static async Task<LadderRun> EchoAsync(string? pcapFolder = null, bool? live = null)
    {
        const string title = "connect, one echo, close";
        if (!(live ?? Rights.CanCapture))
        {
            return Recorded(title, Recordings.Echo);
        }
        var trace = new Trace();
        var echo = EchoServer.Start(trace, name: "inside-echo");
        try
        {
            var capture = SegmentCapture.Start(echo.Port);
            try
            {
                var client = TracedSocket.Tcp(trace, Side.Client);
                client.ReceiveTimeout = (int)s_timeout.TotalMilliseconds;
                client.Connect(echo.EndPoint);
                client.SendAll("Hello, world"u8.ToArray());
                client.Receive(1024);
                string clientEnd = client.LocalEndPoint!.ToString();
                client.Close();
                await capture.WaitForAsync(ClosedBothWays, s_timeout).ConfigureAwait(false);
                string path = PcapPath(pcapFolder, "echo");
                var ladder = Ladder.From(capture.Stop(path));
                var waiting = SocketTable.Snapshot(echo.Port).Where(r => r.State == "TIME_WAIT")
                    .Select(r => $"socket table right after: {r.Local} → {r.Remote} TIME_WAIT ({(r.Local == clientEnd ? "the client's socket" : "the server's socket")})");
                return Live(title, ladder, path, [.. waiting]);
            }
            finally
            {
                capture.Stop();
            }
        }
        finally
        {
            echo.Stop();
        }
    }

    /// <summary>A client sends <c>b'Hello'</c>; the server reads it and closes with linger 0, which sends RST instead of FIN.</summary>
    public static async Task<LadderRun> ResetAsync(string? pcapFolder = null, bool? live = null)
    {
        const string title = "a reset: the server closes with linger 0";
        if (!(live ?? Rights.CanCapture))
        {
            return Recorded(title, Recordings.Reset);
        }
        using var listener = Listener(receiveBuffer: null);
        int port = ((IPEndPoint)listener.LocalEndPoint!).Port;
        var capture = SegmentCapture.Start(port);
        try
        {
            using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveTimeout = 5000 };
            client.Connect(listener.LocalEndPoint!);
            using var server = listener.Accept();
            client.Send("Hello"u8);
            server.Receive(new byte[16]);
            server.LingerState = new LingerOption(true, 0);
            server.Close();
            string afterwards;
            try
            {
                afterwards = $"the client's recv() then returned {client.Receive(new byte[16])} bytes";
            }
            catch (SocketException e)
            {
                afterwards = $"the client's recv() then failed: {SocketErrorReference.Lookup(e.SocketErrorCode)}";
            }
            await capture.WaitForAsync(s => s.Any(x => Ladder.HasFlag(x, "RST")), s_timeout).ConfigureAwait(false);
            string path = PcapPath(pcapFolder, "reset");
            return Live(title, Ladder.From(capture.Stop(path)), path, [afterwards]);
        }
        finally
        {
            capture.Stop();
        }
    }

    /// <summary>This machine's kernel, as <c>uname -r</c> prints it (empty off Linux).</summary>
    public static string KernelRelease { get; } =
        File.Exists("/proc/sys/kernel/osrelease") ? File.ReadAllText("/proc/sys/kernel/osrelease").Trim() : "";

    /// <summary>
    /// Where a live capture of <paramref name="name"/> goes: <paramref name="folder"/>, or by default the course's
    /// artifacts/captures/ (found above the current directory: the notebooks' folder in a kernel, the repository in
    /// an exported app), or the temporary folder outside the repository.
    /// </summary>
    internal static string PcapPath(string? folder, string name)
    {
        if (folder is null)
        {
            var dir = new DirectoryInfo(Environment.CurrentDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "SocketsNotebooks.sln")))
            {
                dir = dir.Parent;
            }
            folder = dir is null ? Path.Combine(Path.GetTempPath(), "sockets-notebooks") : Path.Combine(dir.FullName, "artifacts", "captures");
        }
        return Path.GetFullPath(Path.Combine(folder, $"{name}.pcap"));
    }

    internal static LadderRun Live(string title, Ladder ladder, string path, IReadOnlyList<string> remarks) =>
        new(title, ladder, true, $"captured live on lo just now, Linux {KernelRelease}", path, remarks);

    internal static LadderRun Recorded(string title, Recording recording) =>
        new(title, recording.Ladder(), false, recording.Source, recording.Path, [.. recording.Remarks.Select(r => $"when it was recorded, {r}")]);

    /// <summary>A listener on 127.0.0.1, port 0, with a small receive buffer if asked (set before listen, so accepted sockets inherit it).</summary>
    internal static Socket Listener(int? receiveBuffer)
    {
        var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        if (receiveBuffer is { } size)
        {
            listener.ReceiveBufferSize = size;
        }
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen();
        return listener;
    }

    /// <summary>Both sides sent a FIN and the second FIN has been acknowledged: the connection is over on the wire.</summary>
    internal static bool ClosedBothWays(IReadOnlyList<TcpSegment> segments)
    {
        var fins = segments.Where(s => Ladder.HasFlag(s, "FIN")).ToArray();
        if (fins.Select(f => f.Source).Distinct().Count() < 2)
        {
            return false;
        }
        var second = fins.Last();
        long finEnd = second.Seq + second.Length + 1;
        return segments.Any(s => s.Source == second.Destination && s.No > second.No && s.Ack >= finEnd);
    }
}
