using System.CommandLine;
using System.Net;
using System.Net.Sockets;
using SocketsNotebooks.MultiConn;
using SocketsNotebooks.Tracing;

namespace SocketsNotebooks.Cli;

/// <summary>
/// Section 2, the tutorial's <c>multiconn-server.py</c> and <c>multiconn-client.py</c>:
/// <c>sockets multiconn-server 127.0.0.1 65432</c> in one terminal,
/// <c>sockets multiconn-client 127.0.0.1 65432 2</c> in another.
/// </summary>
public static class MultiConnCommands
{
    /// <summary>How long the client may take before it closes the connections that are not done.</summary>
    public static readonly TimeSpan ClientTimeout = TimeSpan.FromSeconds(30);

    /// <summary>The commands of this section: <c>multiconn-server</c> and <c>multiconn-client</c>.</summary>
    public static IEnumerable<Command> Create() => [Server(), Client()];

    // Like the tutorial's scripts, these take their arguments positionally and all of them are
    // required (its "usage: multiconn-server.py <host> <port>"): a wrong count prints the usage line, exit 2.
    private static Argument<string> RequiredHost(string description)
    {
        var host = CliArguments.Host(description);
        host.DefaultValueFactory = null;
        return host;
    }

    private static Argument<int> RequiredPort(string description)
    {
        var port = CliArguments.Port(description);
        port.DefaultValueFactory = null;
        return port;
    }

    private static Command Server()
    {
        var host = RequiredHost("address to listen on");
        var port = RequiredPort("port to listen on, 0 = any free port");
        var naive = new Option<bool>("--naive") { Description = "the tutorial's registration (always Read | Write): watch the loop spin" };
        var command = new Command("multiconn-server", "Serve many echo connections on one thread with a selector, until Ctrl+C.") { host, port, naive };
        command.SetAction((parsed, cancellationToken) => ServerCommand.RunAsync(parsed, host, port,
            start: (trace, endPoint) => MultiConnServer.Start(trace,
                new MultiConnServerOptions { EndPoint = endPoint, Naive = parsed.GetValue(naive), Log = parsed.InvocationConfiguration.Output.WriteLine },
                "multiconn-server"),
            listening: server => $"Listening on ('{server.EndPoint.Address}', {server.EndPoint.Port})",
            stopped: server => $"Server stopped: {server.Stats}",
            cancellationToken));
        return command;
    }

    private static Command Client()
    {
        var host = RequiredHost("server address");
        var port = RequiredPort("server port");
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
        command.SetAction(async (parsed, cancellationToken) =>
        {
            var output = parsed.InvocationConfiguration.Output;
            var error = parsed.InvocationConfiguration.Error;
            IPEndPoint? endPoint = null;
            try
            {
                endPoint = await CliArguments.ResolveAsync(parsed.GetValue(host)!, parsed.GetValue(port), cancellationToken).ConfigureAwait(false);
                var options = new MultiConnClientOptions { Log = output.WriteLine, Timeout = ClientTimeout };
                var result = await MultiConnClient.RunAsync(endPoint, parsed.GetValue(connections), new Trace(), options: options).ConfigureAwait(false);
                foreach (var failed in result.Connections.Where(c => c.CloseReason != CloseReason.Done))
                {
                    await error.WriteLineAsync($"multiconn-client: connection {failed.ConnId}: {failed.CloseReason}, {failed.BytesReceived} of {failed.BytesSent} bytes came back")
                        .ConfigureAwait(false);
                }
                await output.WriteLineAsync(result.ToString()).ConfigureAwait(false);
                return result.AllEchoed ? 0 : SocketsRoot.FailureExitCode;
            }
            catch (SocketException e)
            {
                await error.WriteLineAsync($"multiconn-client: {CliArguments.Describe(e, endPoint)}").ConfigureAwait(false);
                return SocketsRoot.FailureExitCode;
            }
        });
        return command;
    }
}
