using System.CommandLine;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using SocketsNotebooks.AppProtocol;
using SocketsNotebooks.Tracing;
using Spectre.Console;
using Trace = SocketsNotebooks.Tracing.Trace;

namespace SocketsNotebooks.Cli;

/// <summary>
/// <c>sockets bench app</c>: load the application server the way its protocol is used — one search
/// request per connection, so every request pays for a connect, the framing and a close. A command
/// to run and read, not a test: the numbers depend on the machine.
/// </summary>
public static class AppBenchCommand
{
    /// <summary>The <c>app</c> subcommand of <c>bench</c>.</summary>
    public static Command Create()
    {
        var connections = BenchOptions.Connections("requests in flight at once, each on its own connection");
        var seconds = BenchOptions.Seconds();
        var warmUp = BenchOptions.WarmUp();
        var host = BenchOptions.Host("measure an app-server already running there (default: start one in this process)");
        var port = BenchOptions.Port();
        var value = new Option<string>("--value") { Description = "what to search for", DefaultValueFactory = _ => "morpheus" };
        var command = new Command("app", "Load the application server: C search requests in flight, one per connection.")
        {
            connections, seconds, warmUp, host, port, value,
        };
        command.SetAction(async (parsed, cancellationToken) =>
        {
            var output = parsed.InvocationConfiguration.Output;
            var error = parsed.InvocationConfiguration.Error;
            var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(output) });
            // Every call is traced, but nothing reads the history: keep none, so a long run does not fill memory.
            var trace = new Trace { Capacity = 0 };
            AppServer? server = null;
            IPEndPoint? endPoint = null;
            try
            {
                if (parsed.GetValue(host) is { } remote)
                {
                    endPoint = await CliArguments.ResolveAsync(remote, parsed.GetValue(port), cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    server = AppServer.Start(trace, name: "bench-app");
                    endPoint = server.EndPoint;
                }
                int inFlight = parsed.GetValue(connections);
                var warm = TimeSpan.FromSeconds(parsed.GetValue(warmUp));
                var measure = TimeSpan.FromSeconds(parsed.GetValue(seconds));
                byte[] request = AppClient.JsonRequest("search", parsed.GetValue(value)!).ToBytes();

                var latencies = new List<double>();
                long failed = 0, done = 0;
                string? firstFailure = null;
                var clock = Stopwatch.StartNew();
                using var abort = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                var target = endPoint;
                var running = Task.Factory.StartNew(() => AppClient.RunLoad(target, request, inFlight, warm + measure, trace, exchange =>
                {
                    Interlocked.Increment(ref done);
                    // Count only exchanges that ended inside the measured period.
                    bool measured = clock.Elapsed >= warm;
                    if (!exchange.Answered)
                    {
                        firstFailure ??= exchange.ToString();
                        if (measured)
                        {
                            failed++;
                        }
                        if (exchange.Outcome == CloseReason.ConnectFailed)
                        {
                            abort.Cancel(); // nobody listening: no point hammering.
                        }
                    }
                    else if (measured)
                    {
                        latencies.Add(exchange.Milliseconds);
                    }
                }, new AppClientOptions(), abort.Token), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

                await console.Progress().StartAsync(async progress =>
                {
                    var bar = progress.AddTask($"{endPoint}", maxValue: (warm + measure).TotalSeconds);
                    while (!running.IsCompleted)
                    {
                        await Task.WhenAny(running, Task.Delay(100, CancellationToken.None)).ConfigureAwait(false);
                        bar.Description = clock.Elapsed < warm
                            ? $"warming up: {Interlocked.Read(ref done):N0} requests"
                            : $"measuring: {Interlocked.Read(ref done):N0} requests";
                        bar.Value = Math.Min(bar.MaxValue, clock.Elapsed.TotalSeconds);
                    }
                    bar.Value = bar.MaxValue;
                }).ConfigureAwait(false);
                await running.ConfigureAwait(false);

                if (latencies.Count == 0 && firstFailure is not null)
                {
                    await error.WriteLineAsync($"bench app: no request was answered; first failure: {firstFailure}").ConfigureAwait(false);
                    return SocketsRoot.FailureExitCode;
                }
                var result = AppBenchResult.From(inFlight, measure.TotalSeconds, latencies, failed);
                var table = new Table().Title($"bench app: {result.Connections} in flight, one request per connection, {result.Seconds:0.0} s measured");
                table.AddColumns("connections", "requests", "failed", "requests/s", "p50 (ms)", "p99 (ms)");
                table.AddRow(result.Connections.ToString("N0"), result.Requests.ToString("N0"), result.Failed.ToString("N0"),
                    result.RequestsPerSecond.ToString("N0"), result.P50Ms.ToString("0.000"), result.P99Ms.ToString("0.000"));
                console.Write(table);
                if (server is not null)
                {
                    console.MarkupLine("server: in this process, on one selector thread, traced (as in the notebook)");
                }
                return 0;
            }
            catch (SocketException e)
            {
                await error.WriteLineAsync($"bench app: {CliArguments.Describe(e, endPoint)}").ConfigureAwait(false);
                return SocketsRoot.FailureExitCode;
            }
            finally
            {
                server?.Stop();
            }
        });
        return command;
    }
}
