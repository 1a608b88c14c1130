using System.CommandLine;
using System.Net;
using System.Net.Sockets;
using System.Text;
using SocketsNotebooks.Echo;
using SocketsNotebooks.Tracing;

namespace SocketsNotebooks.Cli;

/// <summary>
/// Section 1, the tutorial's two-terminal exercise: <c>sockets echo-server</c> in one terminal,
/// <c>sockets echo-client</c> in another.
/// </summary>
public static class EchoCommands
{
    /// <summary>How long the client waits for the connection and for the echo before giving up.</summary>
    public static readonly TimeSpan ClientTimeout = TimeSpan.FromSeconds(10);

    /// <summary>The commands of this section: <c>echo-server</c> and <c>echo-client</c>.</summary>
    public static IEnumerable<Command> Create() => [Server(), Client()];

    private static Command Server()
    {
        var host = CliArguments.Host("address to listen on");
        var port = CliArguments.Port("port to listen on, 0 = any free port");
        var command = new Command("echo-server", "Listen and send back whatever each client sends, until Ctrl+C.") { host, port };
        command.SetAction((parsed, cancellationToken) => ServerCommand.RunAsync(parsed, host, port,
            // A minute of patience per client: a person typing into `nc` is slower than the library's default.
            start: (trace, endPoint) => EchoServer.Start(trace, "echo-server", endPoint, idleTimeout: TimeSpan.FromMinutes(1)),
            listening: server => $"Listening on {server.EndPoint}",
            stopped: _ => "Server stopped.",
            cancellationToken,
            printEvent: DescribeServerEvent));
        return command;
    }

    private static Command Client()
    {
        var host = CliArguments.Host("server address");
        var port = CliArguments.Port("server port");
        var message = new Argument<string>("message") { Description = "what to send", DefaultValueFactory = _ => "Hello, world" };
        var command = new Command("echo-client", "Connect, send one message, print what comes back.") { host, port, message };
        command.SetAction(async (parsed, cancellationToken) =>
        {
            var output = parsed.InvocationConfiguration.Output;
            var error = parsed.InvocationConfiguration.Error;
            IPEndPoint? endPoint = null;
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(ClientTimeout);
            try
            {
                endPoint = await CliArguments.ResolveAsync(parsed.GetValue(host)!, parsed.GetValue(port), timeout.Token).ConfigureAwait(false);
                byte[] echoed = await EchoOnceAsync(endPoint, Encoding.UTF8.GetBytes(parsed.GetValue(message)!), timeout.Token).ConfigureAwait(false);
                await output.WriteLineAsync($"Received {PythonBytes.Repr(echoed)}").ConfigureAwait(false);
                return 0;
            }
            catch (SocketException e)
            {
                await error.WriteLineAsync($"echo-client: {CliArguments.Describe(e, endPoint)}").ConfigureAwait(false);
                return SocketsRoot.FailureExitCode;
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                await error.WriteLineAsync($"echo-client: no answer from {endPoint} within {ClientTimeout.TotalSeconds:0} s.").ConfigureAwait(false);
                return SocketsRoot.FailureExitCode;
            }
        });
        return command;
    }

    /// <summary>
    /// The tutorial's client: connect, <c>sendall</c>, read the echo. The tutorial reads once with
    /// <c>recv(1024)</c>; we keep reading until every byte came back (or the server closed), because one
    /// <c>recv()</c> may return only part of it — the lesson of section 1.
    /// </summary>
    private static async Task<byte[]> EchoOnceAsync(IPEndPoint endPoint, byte[] data, CancellationToken cancellationToken)
    {
        using var client = TracedSocket.Tcp(new Trace(), Side.Client, endPoint.AddressFamily);
        await client.ConnectAsync(endPoint, cancellationToken).ConfigureAwait(false);
        await client.SendAllAsync(data, cancellationToken).ConfigureAwait(false);
        var echoed = new MemoryStream();
        var buffer = new byte[1024];
        while (echoed.Length < data.Length)
        {
            int received = await client.ReceiveAsync(buffer, cancellationToken).ConfigureAwait(false);
            if (received == 0)
            {
                break; // FIN: the server closed before echoing everything.
            }
            echoed.Write(buffer, 0, received);
        }
        return echoed.ToArray();
    }

    private static string? DescribeServerEvent(TraceEvent e) =>
        e.Kind == TraceKind.Send && e.Side == Side.Server
            ? $"conn {e.Conn}: echoed {e.Moved} bytes {e.Preview}"
            : TracePrinter.Describe(e);
}
