using System.CommandLine;
using SocketsNotebooks.MultiConn;
using SocketsNotebooks.Tracing;

namespace SocketsNotebooks.Cli;

/// <summary>
/// Notebook 02, the tutorial's <c>multiconn-server.py</c> and <c>multiconn-client.py</c>:
/// <c>sockets multiconn-server 127.0.0.1 65432</c> in one terminal,
/// <c>sockets multiconn-client 127.0.0.1 65432 2</c> in another.
/// </summary>
public static class MultiConnCommands
{
    /// <summary>How long the client may take before it closes the connections that are not done.</summary>
    public static readonly TimeSpan ClientTimeout = TimeSpan.FromSeconds(30);

    /// <summary>This notebook's commands: <c>multiconn-server</c> and <c>multiconn-client</c>.</summary>
    public static IEnumerable<Command> Create() => [Server(), Client()];

    private static Command Server()
    {
        var host = CliArguments.RequiredHost("address to listen on");
        var port = CliArguments.RequiredPort("port to listen on, 0 = any free port");
        var naive = new Option<bool>("--naive") { Description = "the tutorial's registration (always Read | Write): watch the loop spin" };
        var quiet = new Option<bool>("--quiet") { Description = "no line per connection or echo, only the first and last lines (for load tests)" };
        var command = new Command("multiconn-server", "Serve many echo connections on one thread with a selector, until Ctrl+C.") { host, port, naive, quiet };
        command.SetAction((parsed, cancellationToken) => ServerCommand.RunAsync(parsed, host, port,
            start: (trace, endPoint, log) => MultiConnServer.Start(trace,
                new MultiConnServerOptions { EndPoint = endPoint, Naive = parsed.GetValue(naive), Log = log },
                "multiconn-server"),
            listening: server => $"Listening on ('{server.EndPoint.Address}', {server.EndPoint.Port})",
            stopped: server => $"Server stopped: {server.Stats}",
            cancellationToken,
            quiet: parsed.GetValue(quiet)));
        return command;
    }

    private static Command Client()
    {
        var host = CliArguments.RequiredHost("server address");
        var port = CliArguments.RequiredPort("server port");
        var connections = new Argument<int>("num_connections") { Description = "how many connections to open at once" };
        connections.Validators.Add(result =>
        {
            // Only a number can be out of range; a word is already reported as a parse error.
            if (result.Tokens.Count == 1 && int.TryParse(result.Tokens[0].Value, out int count) && count is < 1 or > 10_000)
            {
                result.AddError("num_connections must be between 1 and 10000.");
            }
        });
        var command = new Command("multiconn-client", "Open several connections at once; each sends the tutorial's two messages and closes when they came back.")
        {
            host, port, connections,
        };
        command.SetAction((parsed, cancellationToken) => ClientCommand.RunAsync(parsed, host, port, async run =>
        {
            // The client's selector loop connects every connection itself and bounds the whole run by Timeout.
            var options = new MultiConnClientOptions { Log = run.Output.WriteLine, Timeout = run.Timeout };
            var result = await MultiConnClient.RunAsync(run.EndPoint, parsed.GetValue(connections), new Trace(), options: options).ConfigureAwait(false);
            foreach (var failed in result.Connections.Where(c => c.CloseReason != CloseReason.Done))
            {
                await run.Error.WriteLineAsync($"multiconn-client: connection {failed.ConnId}: {failed.CloseReason}, {failed.BytesReceived} of {failed.BytesSent} bytes came back")
                    .ConfigureAwait(false);
            }
            await run.Output.WriteLineAsync(result.ToString()).ConfigureAwait(false);
            return result.AllEchoed ? 0 : SocketsRoot.FailureExitCode;
        }, cancellationToken, ClientTimeout));
        return command;
    }
}
