using System.CommandLine;
using System.Net;
using System.Net.Sockets;
using SocketsNotebooks.PubSub;
using SocketsNotebooks.Tracing;
using Spectre.Console;

namespace SocketsNotebooks.Cli;

/// <summary>
/// Section 5, publish/subscribe: <c>sockets pubsub-broker 127.0.0.1 65432</c> in one terminal,
/// <c>sockets subscribe 127.0.0.1 65432 100</c> in a second, <c>sockets publish 127.0.0.1 65432 10001 23 45</c>
/// in a third; and <c>sockets bench pubsub</c>, the broker's fan-out rate.
/// </summary>
public static class PubSubCommands
{
    /// <summary>The commands of this section: <c>pubsub-broker</c>, <c>publish</c> and <c>subscribe</c>.</summary>
    public static IEnumerable<Command> Create() => [BrokerCommand(), PublishCommand(), SubscribeCommand()];

    /// <summary>
    /// Adds this section to a root: its commands, and <c>pubsub</c> under the root's <c>bench</c>
    /// (another section owns <c>bench</c>; it is created here only if that section is absent).
    /// </summary>
    public static RootCommand AddTo(RootCommand root)
    {
        ArgumentNullException.ThrowIfNull(root);
        foreach (var command in Create())
        {
            root.Add(command);
        }
        var bench = root.Subcommands.FirstOrDefault(c => c.Name == "bench");
        if (bench is null)
        {
            bench = new Command("bench", "Measure a server of the course.");
            root.Add(bench);
        }
        bench.Add(BenchCommand());
        return root;
    }

    // Positional and required, like the tutorial's scripts: a wrong count prints the usage line, exit 2.
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

    private static Argument<string> TopicArgument(string name, string description, bool allowEmpty)
    {
        var topic = new Argument<string>(name) { Description = description };
        topic.Validators.Add(result =>
        {
            string? value = result.GetValueOrDefault<string>();
            if (value is null || !PubSubCommand.IsTopic(value, allowEmpty))
            {
                result.AddError($"{name} must be one word without spaces{(allowEmpty ? "" : " and not empty")}, not '{value}'.");
            }
        });
        return topic;
    }

    private static Command BrokerCommand()
    {
        var host = RequiredHost("address to listen on");
        var port = RequiredPort("port to listen on, 0 = any free port");
        var limit = new Option<int>("--max-queued") { Description = "published messages a subscriber may have waiting before it is cut off (default: no count; 4 MiB or 10 s behind cuts it off)", DefaultValueFactory = _ => int.MaxValue };
        limit.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() < 1)
            {
                r.AddError("--max-queued must be at least 1.");
            }
        });
        var command = new Command("pubsub-broker", "Run a publish/subscribe broker until Ctrl+C.") { host, port, limit };
        command.SetAction((parsed, cancellationToken) => ServerCommand.RunAsync(parsed, host, port,
            start: (trace, endPoint) => Broker.Start(trace,
                new BrokerOptions { EndPoint = endPoint, MaxQueuedMessages = parsed.GetValue(limit), Log = parsed.InvocationConfiguration.Output.WriteLine, SampleInterval = null },
                "pubsub-broker"),
            listening: broker => $"Listening on {broker.EndPoint}",
            stopped: broker => $"Broker stopped: {broker.Published:N0} published, {broker.FannedOut:N0} delivered to subscriber queues.",
            cancellationToken));
        return command;
    }

    private static Command PublishCommand()
    {
        var host = RequiredHost("broker address");
        var port = RequiredPort("broker port");
        var topic = TopicArgument("topic", "topic to publish on, e.g. a zipcode", allowEmpty: false);
        var payload = new Argument<string[]>("payload") { Description = "the message; several words are joined with spaces", Arity = ArgumentArity.OneOrMore };
        var command = new Command("publish", "Publish one message on a topic and exit.") { host, port, topic, payload };
        command.SetAction(async (parsed, cancellationToken) =>
        {
            var output = parsed.InvocationConfiguration.Output;
            var error = parsed.InvocationConfiguration.Error;
            IPEndPoint? endPoint = null;
            try
            {
                endPoint = await CliArguments.ResolveAsync(parsed.GetValue(host)!, parsed.GetValue(port), cancellationToken).ConfigureAwait(false);
                using var publisher = await Publisher.ConnectAsync(endPoint, new Trace { Capacity = 0 }, cancellationToken: cancellationToken).ConfigureAwait(false);
                string text = string.Join(' ', parsed.GetValue(payload)!);
                publisher.Publish(parsed.GetValue(topic)!, text);
                // Wait for the broker to have handled it before leaving: closing at once would be fine
                // for TCP, but then the terminal could not say it arrived.
                await publisher.PingAsync().ConfigureAwait(false);
                await output.WriteLineAsync($"Published to '{parsed.GetValue(topic)}': {text}").ConfigureAwait(false);
                return 0;
            }
            catch (SocketException e)
            {
                await error.WriteLineAsync($"publish: {CliArguments.Describe(e, endPoint)}").ConfigureAwait(false);
                return SocketsRoot.FailureExitCode;
            }
            catch (Exception e) when (e is IOException or TimeoutException)
            {
                await error.WriteLineAsync($"publish: {e.Message}").ConfigureAwait(false);
                return SocketsRoot.FailureExitCode;
            }
        });
        return command;
    }

    private static Command SubscribeCommand()
    {
        var host = RequiredHost("broker address");
        var port = RequiredPort("broker port");
        var topic = TopicArgument("topic", "prefix to subscribe to: '100' gets 10001, 10021, ...; '' gets everything", allowEmpty: true);
        var count = new Argument<int>("count")
        {
            Description = "exit after this many messages (default: until Ctrl+C)",
            DefaultValueFactory = _ => 0,
            // A custom parser, so "many" and "0" both get the same plain message (and exit 2).
            CustomParser = r =>
            {
                string text = r.Tokens.Count > 0 ? r.Tokens[0].Value : "";
                if (!int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int n) || n < 1)
                {
                    r.AddError($"count must be a whole number of at least 1, not '{text}'.");
                    return 0;
                }
                return n;
            },
        };
        var command = new Command("subscribe", "Subscribe to a topic prefix and print each message as it arrives.") { host, port, topic, count };
        command.SetAction(async (parsed, cancellationToken) =>
        {
            var output = parsed.InvocationConfiguration.Output;
            var error = parsed.InvocationConfiguration.Error;
            IPEndPoint? endPoint = null;
            int wanted = parsed.GetValue(count);
            // Neither the messages nor the trace are kept: a subscriber may run for days.
            var options = new SubscriberOptions { KeepMessages = false, OnMessage = m => output.WriteLine($"Received {m}") };
            try
            {
                endPoint = await CliArguments.ResolveAsync(parsed.GetValue(host)!, parsed.GetValue(port), cancellationToken).ConfigureAwait(false);
                using var subscriber = await Subscriber.ConnectAsync(endPoint, new Trace { Capacity = 0 }, options, cancellationToken).ConfigureAwait(false);
                await subscriber.SubscribeAsync(parsed.GetValue(topic)!).ConfigureAwait(false);
                await output.WriteLineAsync($"Subscribed to '{parsed.GetValue(topic)}' on {endPoint}").ConfigureAwait(false);
                try
                {
                    var done = wanted > 0
                        ? subscriber.WaitForCountAsync(wanted, Timeout.InfiniteTimeSpan).WaitAsync(cancellationToken)
                        : subscriber.Closed.WaitAsync(cancellationToken);
                    await done.ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    // Ctrl+C.
                }
                catch (IOException)
                {
                    await error.WriteLineAsync($"subscribe: {await subscriber.Closed.ConfigureAwait(false)} after {subscriber.Count} message(s).").ConfigureAwait(false);
                    return SocketsRoot.FailureExitCode;
                }
                if (wanted == 0 && subscriber.Closed.IsCompleted)
                {
                    await error.WriteLineAsync($"subscribe: {await subscriber.Closed.ConfigureAwait(false)} after {subscriber.Count} message(s).").ConfigureAwait(false);
                    return SocketsRoot.FailureExitCode;
                }
                return 0;
            }
            catch (SocketException e)
            {
                await error.WriteLineAsync($"subscribe: {CliArguments.Describe(e, endPoint)}").ConfigureAwait(false);
                return SocketsRoot.FailureExitCode;
            }
            catch (Exception e) when (e is IOException or TimeoutException)
            {
                // SubscribeAsync's own failures: the broker hung up before acknowledging, or never answered.
                await error.WriteLineAsync($"subscribe: {e.Message}").ConfigureAwait(false);
                return SocketsRoot.FailureExitCode;
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // ConnectAsync gave up after the subscriber's timeout (not Ctrl+C).
                await error.WriteLineAsync($"subscribe: no answer from {endPoint} within {options.Timeout.TotalSeconds:0} s.").ConfigureAwait(false);
                return SocketsRoot.FailureExitCode;
            }
        });
        return command;
    }

    private static Command BenchCommand()
    {
        var subscribers = new Option<int>("--subscribers", "-s") { Description = "subscribers, all on the same topic", DefaultValueFactory = _ => 100 };
        var messages = new Option<int>("--messages", "-m") { Description = "messages to publish", DefaultValueFactory = _ => 10_000 };
        var size = new Option<int>("--size") { Description = "payload bytes per message", DefaultValueFactory = _ => 16 };
        foreach (var positive in new[] { subscribers, messages, size })
        {
            positive.Validators.Add(r =>
            {
                if (r.GetValueOrDefault<int>() < 1)
                {
                    r.AddError($"{r.Option.Name} must be at least 1.");
                }
            });
        }
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
