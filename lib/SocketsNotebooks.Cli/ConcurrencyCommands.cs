using System.CommandLine;
using System.Net;
using SocketsNotebooks.Concurrency;
using SocketsNotebooks.Hosting;
using SocketsNotebooks.MultiConn;
using SocketsNotebooks.Selectors;
using SocketsNotebooks.Tracing;

namespace SocketsNotebooks.Cli;

/// <summary>
/// Notebook 06, the same echo service served five ways: <c>sockets serve async</c> in one terminal, any
/// echo client in another (<c>sockets echo-client</c>, <c>nc 127.0.0.1 65432</c>, or a load generator such as
/// a C closed-loop load generator pointed at its port). The servers are untraced, so what is measured is the model.
/// </summary>
public static class ConcurrencyCommands
{
    /// <summary>This notebook's commands: <c>serve</c>.</summary>
    public static IEnumerable<Command> Create() => [Serve()];

    private static Command Serve()
    {
        var model = new Argument<ConcurrencyModel>("model")
        {
            HelpName = "model", // not the enum's names: the words it takes are in the description
            Description = $"how the server serves many clients: {ConcurrencyModelNames.Choices}",
            CustomParser = ConcurrencyModelNames.Parse,
        };
        var host = CliArguments.Host("address to listen on");
        var port = CliArguments.Port("port to listen on, 0 = any free port");
        var quiet = new Option<bool>("--quiet") { Description = "no line per connection or request (select and epoll print the tutorial's lines otherwise)" };
        var sendAtOnce = new Option<bool>("--send-at-once")
        {
            Description = "select and epoll: send each echo in the wake-up that received it, asking for Write only when the send was partial (notebook 06)",
        };
        var command = new Command("serve", "Serve the echo service in one concurrency model, until Ctrl+C.") { model, host, port, quiet, sendAtOnce };
        command.SetAction((parsed, cancellationToken) =>
        {
            var chosen = parsed.GetValue(model);
            var loopOptions = new MultiConnServerOptions { SendAtOnce = parsed.GetValue(sendAtOnce) };
            return ServerCommand.RunAsync(parsed, host, port,
                start: (trace, endPoint, log) => Start(chosen, trace, endPoint, log, loopOptions),
                listening: server => $"Listening on {server.EndPoint}: {EchoModels.Label(chosen)}",
                stopped: Summary,
                cancellationToken,
                quiet: parsed.GetValue(quiet));
        });
        return command;
    }

    private static BackgroundServer Start(ConcurrencyModel model, Trace trace, IPEndPoint endPoint, Action<string>? log, MultiConnServerOptions loopOptions)
    {
        string name = $"serve-{ConcurrencyModelNames.Name(model)}";
        if (log is not null && model is ConcurrencyModel.Select or ConcurrencyModel.Epoll)
        {
            // The select loop is notebook 02's server, which says what it does in the tutorial's words; the
            // same server EchoModels starts, with its Log set. The other models print nothing per connection:
            // untraced, they record nothing to print from.
            var selector = model == ConcurrencyModel.Epoll ? SelectorKind.Epoll : SelectorKind.Select;
            return MultiConnServer.Start(trace, loopOptions with { EndPoint = endPoint, Selector = selector, Log = log }, name);
        }
        return EchoModels.Start(model, trace: null, name, endPoint, loopOptions);
    }

    private static string Summary(BackgroundServer server) => server switch
    {
        EchoModelServer echo => $"Server stopped: {Connections(echo.Accepted)} accepted, at most {echo.PeakOpenConnections:N0} open at once.",
        MultiConnServer loop => $"Server stopped: {Connections(loop.Stats.ConnectionsSeen)} accepted; the loop woke {loop.Stats.WakeUps:N0} times, {loop.Stats.IdleWakeUps:N0} with nothing to do.",
        _ => "Server stopped.",
    };

    private static string Connections(long count) => count == 1 ? "1 connection" : $"{count:N0} connections";
}
