using System.CommandLine;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using SocketsNotebooks.Inside;

namespace SocketsNotebooks.Cli;

/// <summary>
/// Notebook 07 in a terminal: <c>sockets capture</c> shows the segments of a port as a ladder (and writes a .pcap),
/// <c>sockets tcpinfo</c> what the kernel knows about one connection. The work is in the library's Inside folder.
/// </summary>
public static class InsideCommands
{
    /// <summary>The commands: <c>capture</c> and <c>tcpinfo</c>.</summary>
    public static IEnumerable<Command> Create() => [Capture(), TcpInfo()];

    /// <summary>Adds the commands to <paramref name="root"/>: one line in Program.cs, whatever the rest of it looks like.</summary>
    public static RootCommand AddTo(RootCommand root)
    {
        ArgumentNullException.ThrowIfNull(root);
        foreach (var command in Create())
        {
            root.Add(command);
        }
        return root;
    }

    private static Command Capture()
    {
        var port = new Argument<int>("port") { Description = "the TCP port whose segments to capture (e.g. 65432, the echo server's)" };
        var seconds = new Argument<double>("seconds") { Description = "how long to capture (Ctrl+C stops early)", DefaultValueFactory = _ => 10 };
        var file = new Argument<string?>("file") { Description = "also write the frames to this .pcap file (Wireshark and tcpdump -r read it)", DefaultValueFactory = _ => null };
        var command = new Command("capture", "Capture a port's TCP segments on loopback and print them as a ladder: time, direction, flags, seq, ack, len, win.")
        {
            port, seconds, file,
        };
        command.SetAction(async (parsed, cancellationToken) =>
        {
            var output = parsed.InvocationConfiguration.Output;
            try
            {
                string? path = parsed.GetValue(file);
                var ladder = await CaptureSession.RecordAsync(parsed.GetValue(port), TimeSpan.FromSeconds(parsed.GetValue(seconds)), path,
                    started: () => output.WriteLine($"Capturing tcp port {parsed.GetValue(port)} on lo for {parsed.GetValue(seconds)} s (Ctrl+C to stop)..."),
                    cancellationToken).ConfigureAwait(false);
                foreach (string line in ladder.Rungs.Count == 0 ? ["no segments"] : ladder.Lines())
                {
                    await output.WriteLineAsync(line).ConfigureAwait(false);
                }
                if (path is not null)
                {
                    await output.WriteLineAsync($"wrote {ladder.Rungs.Count} segments to {Path.GetFullPath(path)}").ConfigureAwait(false);
                }
                return 0;
            }
            catch (InvalidOperationException e)
            {
                await parsed.InvocationConfiguration.Error.WriteLineAsync($"capture: {e.Message}").ConfigureAwait(false);
                return SocketsRoot.FailureExitCode;
            }
        });
        return command;
    }

    private static Command TcpInfo()
    {
        var host = CliArguments.Host("server address");
        var port = CliArguments.Port("server port");
        var seconds = new Option<double>("--seconds") { Description = "how long to watch", DefaultValueFactory = _ => 2 };
        var every = new Option<double>("--every") { Description = "milliseconds between two readings (one message sent each time)", DefaultValueFactory = _ => 200 };
        var command = new Command("tcpinfo", "Connect, send b'Hello, world' now and then, and print the connection's TCP_INFO (Linux).")
        {
            host, port, seconds, every,
        };
        command.SetAction(async (parsed, cancellationToken) =>
        {
            var output = parsed.InvocationConfiguration.Output;
            var error = parsed.InvocationConfiguration.Error;
            IPEndPoint? endPoint = null;
            try
            {
                endPoint = await CliArguments.ResolveAsync(parsed.GetValue(host)!, parsed.GetValue(port), cancellationToken).ConfigureAwait(false);
                await output.WriteLineAsync($"{"ms",9}  {"state",-11} {"rtt ms",8} {"cwnd",5} {"unacked",7} {"retrans",7} {"peer window",11}").ConfigureAwait(false);
                await TcpInfoWatch.WatchAsync(endPoint, TimeSpan.FromSeconds(parsed.GetValue(seconds)), TimeSpan.FromMilliseconds(parsed.GetValue(every)),
                    sample => output.WriteLine(Line(sample)), cancellationToken).ConfigureAwait(false);
                return 0;
            }
            catch (SocketException e)
            {
                await error.WriteLineAsync($"tcpinfo: {CliArguments.Describe(e, endPoint)}").ConfigureAwait(false);
                return SocketsRoot.FailureExitCode;
            }
            catch (PlatformNotSupportedException e)
            {
                await error.WriteLineAsync($"tcpinfo: {e.Message}").ConfigureAwait(false);
                return SocketsRoot.FailureExitCode;
            }
        });
        return command;
    }

    private static string Line(TcpInfoSample sample)
    {
        var i = sample.Info;
        return string.Create(CultureInfo.InvariantCulture,
            $"{sample.TimeMs,9:0.0}  {i.StateName,-11} {i.RttMs,8:0.###} {i.CongestionWindow,5} {i.Unacked,7} {i.TotalRetransmits,7} {i.PeerWindow,11}");
    }
}
