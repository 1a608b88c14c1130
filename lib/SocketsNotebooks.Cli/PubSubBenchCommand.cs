using System.CommandLine;
using System.Net.Sockets;
using SocketsNotebooks.PubSub;
using SocketsNotebooks.Tracing;
using Spectre.Console;

namespace SocketsNotebooks.Cli;

/// <summary>
/// <c>sockets bench pubsub</c>: the fan-out rate of notebook 05's broker, run in this process — S subscribers
/// on one topic, M messages published as fast as the slowest subscriber takes them.
/// </summary>
public static class PubSubBenchCommand
{
    /// <summary>The <c>pubsub</c> subcommand of <c>bench</c>.</summary>
    public static Command Create()
    {
        var subscribers = BenchOptions.Subscribers("subscribers, all on the same topic");
        var messages = BenchOptions.Messages("messages to publish");
        // The broker refuses a command longer than its content limit: say so before the run.
        int maxPayload = new BrokerOptions().Limits.MaxContentLength - PubSubCommand.Publish(PubSubBench.Topic, "").ToText().Length;
        var size = BenchOptions.Size("payload bytes per message", defaultValue: 16, max: maxPayload);
        var command = new Command("pubsub", "Fan-out rate of the in-process broker: messages/s delivered to S subscribers.") { subscribers, messages, size };
        command.SetAction(async (parsed, cancellationToken) =>
        {
            var output = parsed.InvocationConfiguration.Output;
            var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(output) });
            // Broker and clients are traced (every call costs what it costs in the notebook), but
            // nothing reads the history: keep none, so a long run does not fill memory.
            var trace = new Trace { Capacity = 0 };
            var options = new BrokerOptions { SampleInterval = null };
            var broker = Broker.Start(trace, options, "bench-pubsub");
            try
            {
                var load = new PubSubBench(broker.EndPoint, parsed.GetValue(subscribers), parsed.GetValue(messages), parsed.GetValue(size),
                    window: 500, trace);
                var result = await load.RunAsync(cancellationToken).ConfigureAwait(false);
                // Two columns, one row per number: readable in an 80-column terminal.
                var table = new Table().Title($"bench pubsub: {result.Subscribers} subscribers, {result.Messages:N0} messages of {result.PayloadBytes} B");
                table.AddColumn("measure");
                table.AddColumn(new TableColumn("value").RightAligned());
                table.AddRow("subscribers", result.Subscribers.ToString("N0"));
                table.AddRow("messages published", result.Messages.ToString("N0"));
                table.AddRow("payload (bytes)", result.PayloadBytes.ToString("N0"));
                table.AddRow("seconds", result.Seconds.ToString("0.000"));
                table.AddRow("published / s", result.PublishedPerSecond.ToString("N0"));
                table.AddRow("[bold]delivered / s (all subscribers)[/]", $"[bold]{result.DeliveredPerSecond:N0}[/]");
                table.AddRow("subscribers cut off", result.CutOff.ToString("N0"));
                console.Write(table);
                console.MarkupLine($"delivered/s counts every copy: one message to {result.Subscribers} subscribers is {result.Subscribers} deliveries.");
                console.MarkupLine($"broker: in this process, traced; the publisher stays at most {load.Window:N0} messages ahead of the slowest subscriber.");
                return result.CutOff == 0 && result.Delivered == (long)result.Subscribers * result.Messages ? 0 : SocketsRoot.FailureExitCode;
            }
            catch (Exception e) when (e is IOException or TimeoutException or SocketException)
            {
                await parsed.InvocationConfiguration.Error.WriteLineAsync($"bench pubsub: {e.Message}").ConfigureAwait(false);
                return SocketsRoot.FailureExitCode;
            }
            finally
            {
                broker.Stop();
            }
        });
        return command;
    }
}
