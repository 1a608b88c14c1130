using System.CommandLine;
using System.Net;
using System.Text;
using SocketsNotebooks.Echo;
using SocketsNotebooks.Tracing;

namespace SocketsNotebooks.Cli;

/// <summary>
/// Notebook 01, the tutorial's two-terminal exercise: <c>sockets echo-server</c> in one terminal,
/// <c>sockets echo-client</c> in another.
/// </summary>
public static class EchoCommands
{
    /// <summary>How long the client waits for the connection and for the echo before giving up.</summary>
    public static readonly TimeSpan ClientTimeout = TimeSpan.FromSeconds(10);

    /// <summary>This notebook's commands: <c>echo-server</c> and <c>echo-client</c>.</summary>
    public static IEnumerable<Command> Create() => [Server(), Client()];

    private static Command Server()
    {
        var host = CliArguments.Host("address to listen on");
        var port = CliArguments.Port("port to listen on, 0 = any free port");
        var command = new Command("echo-server", "Listen and send back whatever each client sends, until Ctrl+C.") { host, port };
        command.SetAction((parsed, cancellationToken) => ServerCommand.RunAsync(parsed, host, port,
            // A minute of patience per client: a person typing into `nc` is slower than the library's default.
            start: (trace, endPoint, _) => EchoServer.Start(trace, "echo-server", endPoint, idleTimeout: TimeSpan.FromMinutes(1)),
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
        command.SetAction((parsed, cancellationToken) => ClientCommand.RunAsync(parsed, host, port,
            connect: ConnectAsync,
            run: async (client, run) =>
            {
                byte[] echoed = await EchoOnceAsync(client, Encoding.UTF8.GetBytes(parsed.GetValue(message)!), run.TimeLimit).ConfigureAwait(false);
                await run.Output.WriteLineAsync($"Received {PythonBytes.Repr(echoed)}").ConfigureAwait(false);
                return 0;
            },
            cancellationToken, ClientTimeout));
        return command;
    }

    private static async Task<TracedSocket> ConnectAsync(IPEndPoint endPoint, CancellationToken cancellationToken)
    {
        var client = TracedSocket.Tcp(new Trace(), Side.Client, endPoint.AddressFamily);
        try
        {
            await client.ConnectAsync(endPoint, cancellationToken).ConfigureAwait(false);
            return client;
        }
        catch
        {
            client.Close(CloseReason.ConnectFailed);
            throw;
        }
    }

    /// <summary>
    /// The tutorial's client, once connected: <c>sendall</c>, read the echo. The tutorial reads once with
    /// <c>recv(1024)</c>; we keep reading until every byte came back (or the server closed), because one
    /// <c>recv()</c> may return only part of it — the lesson of notebook 01.
    /// </summary>
    private static async Task<byte[]> EchoOnceAsync(TracedSocket client, byte[] data, CancellationToken cancellationToken)
    {
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
