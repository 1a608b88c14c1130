using System.CommandLine;
using System.Net.Sockets;
using SocketsNotebooks.AppProtocol;
using SocketsNotebooks.Tracing;

namespace SocketsNotebooks.Cli;

/// <summary>
/// Notebook 03, the tutorial's <c>app-server.py</c> / <c>app-client.py</c> pair: <c>sockets app-server</c>
/// in one terminal, <c>sockets app-client 127.0.0.1 65432 search morpheus</c> in another. Both print
/// the tutorial's lines (including the bytes sent, escaped as Python prints them), so the output can
/// be laid next to the Python programs' output — and either side can be the Python one.
/// </summary>
public static class AppCommands
{
    /// <summary>This notebook's commands: <c>app-server</c> and <c>app-client</c>.</summary>
    public static IEnumerable<Command> Create() => [Server(), Client()];

    private static Command Server()
    {
        // The tutorial's app-server.py takes both arguments; here they default like the echo server's.
        var host = CliArguments.Host("address to listen on");
        var port = CliArguments.Port("port to listen on, 0 = any free port");
        var command = new Command("app-server", "Answer one search or binary request per connection, until Ctrl+C.") { host, port };
        command.SetAction((parsed, cancellationToken) => ServerCommand.RunAsync(parsed, host, port,
            start: (trace, endPoint, log) => AppServer.Start(trace, new AppServerOptions { EndPoint = endPoint, Log = log }, "app-server"),
            listening: server => $"Listening on ('{server.EndPoint.Address}', {server.Port})",
            stopped: _ => "Server stopped.",
            cancellationToken));
        return command;
    }

    private static Command Client()
    {
        // All four are required, as in app-client.py's "usage: <host> <port> <action> <value>".
        var host = CliArguments.RequiredHost("server address");
        var port = CliArguments.RequiredPort("server port");
        var action = new Argument<string>("action") { Description = "search sends JSON; any other action sends action+value as binary" };
        var value = new Argument<string>("value") { Description = "what to search for (or the binary payload)" };
        var command = new Command("app-client", "Send one request (search → JSON, anything else → binary) and print the answer.")
        {
            host, port, action, value,
        };
        command.SetAction((parsed, cancellationToken) => ClientCommand.RunAsync(parsed, host, port, async run =>
        {
            var options = new AppClientOptions { Log = run.Output.WriteLine, Timeout = run.Timeout };
            // The client's selector loop connects by itself and blocks; keep it off the caller's thread.
            var exchange = await Task.Run(
                () => AppClient.Request(run.EndPoint, parsed.GetValue(action)!, parsed.GetValue(value)!, new Trace(), options),
                cancellationToken).ConfigureAwait(false);
            if (exchange.Answered)
            {
                return 0;
            }
            if (exchange.Outcome == CloseReason.ConnectFailed && Enum.TryParse<SocketError>(exchange.Detail, out var code))
            {
                // Said like every other client's failed connect (ECONNREFUSED, ...).
                throw new SocketException((int)code);
            }
            return await run.FailAsync($"no answer from {run.EndPoint}: {exchange.Outcome}{(exchange.Error is null ? "" : $" {exchange.Error}")}: {exchange.Detail}")
                .ConfigureAwait(false);
        }, cancellationToken));
        return command;
    }
}
