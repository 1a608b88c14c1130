using System.CommandLine;
using SocketsNotebooks.PubSub;
using SocketsNotebooks.Tracing;

namespace SocketsNotebooks.Cli;

/// <summary>
/// Notebook 05, publish/subscribe: <c>sockets pubsub-broker 127.0.0.1 65432</c> in one terminal,
/// <c>sockets subscribe 127.0.0.1 65432 100</c> in a second, <c>sockets publish 127.0.0.1 65432 10001 23 45</c>
/// in a third. <c>sockets bench pubsub</c> (<see cref="PubSubBenchCommand"/>) measures the broker's fan-out rate.
/// </summary>
public static class PubSubCommands
{
    /// <summary>This notebook's commands: <c>pubsub-broker</c>, <c>publish</c> and <c>subscribe</c>.</summary>
    public static IEnumerable<Command> Create() => [BrokerCommand(), PublishCommand(), SubscribeCommand()];

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
        var host = CliArguments.RequiredHost("address to listen on");
        var port = CliArguments.RequiredPort("port to listen on, 0 = any free port");
        var limit = new Option<int>("--max-queued") { Description = "published messages a subscriber may have waiting before it is cut off (default: no count; 32 MiB waiting, or more than 8 MiB for 10 s, cuts it off)", DefaultValueFactory = _ => int.MaxValue };
        limit.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() < 1)
            {
                r.AddError("--max-queued must be at least 1.");
            }
        });
        var command = new Command("pubsub-broker", "Run a publish/subscribe broker until Ctrl+C.") { host, port, limit };
        command.SetAction((parsed, cancellationToken) => ServerCommand.RunAsync(parsed, host, port,
            start: (trace, endPoint, log) => Broker.Start(trace,
                new BrokerOptions { EndPoint = endPoint, MaxQueuedMessages = parsed.GetValue(limit), Log = log, SampleInterval = null },
                "pubsub-broker"),
            listening: broker => $"Listening on {broker.EndPoint}",
            stopped: broker => $"Broker stopped: {broker.Published:N0} published, {broker.FannedOut:N0} delivered to subscriber queues.",
            cancellationToken));
        return command;
    }

    private static Command PublishCommand()
    {
        var host = CliArguments.RequiredHost("broker address");
        var port = CliArguments.RequiredPort("broker port");
        var topic = TopicArgument("topic", "topic to publish on, e.g. a zipcode", allowEmpty: false);
        var payload = new Argument<string[]>("payload") { Description = "the message; several words are joined with spaces", Arity = ArgumentArity.OneOrMore };
        var command = new Command("publish", "Publish one message on a topic and exit.") { host, port, topic, payload };
        command.SetAction((parsed, cancellationToken) => ClientCommand.RunAsync(parsed, host, port,
            connect: (endPoint, timeLimit) => Publisher.ConnectAsync(endPoint, new Trace { Capacity = 0 }, ClientCommand.DefaultTimeout, timeLimit),
            run: async (publisher, run) =>
            {
                string text = string.Join(' ', parsed.GetValue(payload)!);
                publisher.Publish(parsed.GetValue(topic)!, text);
                // Wait for the broker to have handled it before leaving: closing at once would be fine
                // for TCP, but then the terminal could not say it arrived.
                await publisher.PingAsync().ConfigureAwait(false);
                await run.Output.WriteLineAsync($"Published to '{parsed.GetValue(topic)}': {text}").ConfigureAwait(false);
                return 0;
            },
            cancellationToken));
        return command;
    }

    private static Command SubscribeCommand()
    {
        var host = CliArguments.RequiredHost("broker address");
        var port = CliArguments.RequiredPort("broker port");
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
        command.SetAction((parsed, cancellationToken) =>
        {
            var output = parsed.InvocationConfiguration.Output;
            int wanted = parsed.GetValue(count);
            // Neither the messages nor the trace are kept: a subscriber may run for days.
            var options = new SubscriberOptions { KeepMessages = false, Timeout = ClientCommand.DefaultTimeout, OnMessage = m => output.WriteLine($"Received {m}") };
            return ClientCommand.RunAsync(parsed, host, port,
                connect: (endPoint, timeLimit) => Subscriber.ConnectAsync(endPoint, new Trace { Capacity = 0 }, options, timeLimit),
                run: async (subscriber, run) =>
                {
                    await subscriber.SubscribeAsync(parsed.GetValue(topic)!).ConfigureAwait(false);
                    await run.Output.WriteLineAsync($"Subscribed to '{parsed.GetValue(topic)}' on {run.EndPoint}").ConfigureAwait(false);
                    // From here on no time limit: a subscriber listens until Ctrl+C, the count, or the broker hangs up.
                    try
                    {
                        if (wanted > 0)
                        {
                            await subscriber.WaitForCountAsync(wanted, Timeout.InfiniteTimeSpan).WaitAsync(run.CancellationToken).ConfigureAwait(false);
                            return 0;
                        }
                        await subscriber.Closed.WaitAsync(run.CancellationToken).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException) when (run.CancellationToken.IsCancellationRequested)
                    {
                        return 0; // Ctrl+C: the normal way to stop listening.
                    }
                    catch (IOException)
                    {
                        // The connection ended before the count; Closed says why.
                    }
                    return await run.FailAsync($"{await subscriber.Closed.ConfigureAwait(false)} after {subscriber.Count} message(s).").ConfigureAwait(false);
                },
                cancellationToken);
        });
        return command;
    }
}
