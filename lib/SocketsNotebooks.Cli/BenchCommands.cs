using System.CommandLine;
using System.Net;
using System.Net.Sockets;
using SocketsNotebooks.MultiConn;
using SocketsNotebooks.Tracing;
using Spectre.Console;

namespace SocketsNotebooks.Cli;

/// <summary>
/// <c>sockets bench ...</c>: load generators that measure a server of the course. A command to run
/// and read, not a test: the numbers depend on the machine and on what else runs on it.
/// </summary>
public static class BenchCommands
{
    /// <summary>The <c>bench</c> command and its subcommands.</summary>
    public static IEnumerable<Command> Create() => [new Command("bench", "Measure a server: requests/s, MiB/s and latency.") { MultiConn(), AppBenchCommand.Create() }];

    private static Command MultiConn()
    {
        var connections = new Option<int>("--connections", "-c") { Description = "connections, each with one request in flight", DefaultValueFactory = _ => 10 };
        var size = new Option<int>("--size") { Description = "bytes per request", DefaultValueFactory = _ => 1024 };
        var seconds = new Option<double>("--seconds") { Description = "length of the measured period", DefaultValueFactory = _ => 5 };
        var warmUp = new Option<double>("--warmup") { Description = "seconds of warm-up before measuring", DefaultValueFactory = _ => 1 };
        var host = new Option<string?>("--host") { Description = "measure a server already running there (default: start one in this process)" };
        var port = new Option<int>("--port") { Description = "its port", DefaultValueFactory = _ => CliArguments.DefaultPort };
        var naive = new Option<bool>("--naive") { Description = "run the in-process server in the tutorial's always-Read|Write mode" };
        foreach (var positive in new[] { connections, size })
        {
            positive.Validators.Add(r =>
            {
                if (r.Tokens.Count == 1 && int.TryParse(r.Tokens[0].Value, out int value) && value < 1)
                {
                    r.AddError($"{r.Option.Name} must be at least 1.");
                }
            });
        }
        seconds.Validators.Add(r =>
        {
            if (r.Tokens.Count == 1 && double.TryParse(r.Tokens[0].Value, System.Globalization.CultureInfo.InvariantCulture, out double value) && value is <= 0 or > 3600)
            {
                r.AddError("--seconds must be more than 0 and at most 3600.");
            }
        });
        warmUp.Validators.Add(r =>
        {
            if (r.Tokens.Count == 1 && double.TryParse(r.Tokens[0].Value, System.Globalization.CultureInfo.InvariantCulture, out double value) && value is < 0 or > 600)
            {
                r.AddError("--warmup must be from 0 to 600 seconds.");
            }
        });
        var command = new Command("multiconn", "Load the multi-connection echo server: C connections, one BYTES request in flight each.")
        {
            connections, size, seconds, warmUp, host, port, naive,
        };
        command.SetAction(async (parsed, cancellationToken) =>
        {
            var output = parsed.InvocationConfiguration.Output;
            var error = parsed.InvocationConfiguration.Error;
            var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(output) });
            MultiConnServer? server = null;
            // The in-process server is traced, but nothing reads the history: keep none, so a long run does not fill memory.
            var trace = new Trace { Capacity = 0 };
            IPEndPoint? endPoint = null;
            try
            {
                if (parsed.GetValue(host) is { } remote)
                {
                    endPoint = await CliArguments.ResolveAsync(remote, parsed.GetValue(port), cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    server = MultiConnServer.Start(trace, new MultiConnServerOptions { Naive = parsed.GetValue(naive) }, "bench-multiconn");
                    endPoint = server.EndPoint;
                }
                var load = new BenchMultiConnLoad(endPoint, parsed.GetValue(connections), parsed.GetValue(size));
                var warm = TimeSpan.FromSeconds(parsed.GetValue(warmUp));
                var measure = TimeSpan.FromSeconds(parsed.GetValue(seconds));
                var running = Task.Factory.StartNew(() => load.Run(warm, measure, cancellationToken),
                    cancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default);
                long wakeUpsBefore = 0, idleBefore = 0;
                await console.Progress().StartAsync(async progress =>
                {
                    var bar = progress.AddTask($"{endPoint}: connecting", maxValue: (warm + measure).TotalSeconds);
                    var started = DateTime.UtcNow;
                    while (!running.IsCompleted)
                    {
                        await Task.WhenAny(running, Task.Delay(100, CancellationToken.None)).ConfigureAwait(false);
                        if (load.Phase == 2 && wakeUpsBefore == 0 && server is not null)
                        {
                            (wakeUpsBefore, idleBefore) = (server.Stats.WakeUps, server.Stats.IdleWakeUps);
                        }
                        bar.Description = load.Phase switch
                        {
                            0 => "connecting",
                            1 => $"warming up: {load.Completed:N0} requests",
                            _ => $"measuring: {load.Measured:N0} requests",
                        };
                        if (load.Phase >= 1)
                        {
                            bar.Value = Math.Min(bar.MaxValue, (DateTime.UtcNow - started).TotalSeconds);
                        }
                    }
                    bar.Value = bar.MaxValue;
                }).ConfigureAwait(false);
                var result = await running.ConfigureAwait(false);

                var table = new Table().Title($"bench multiconn: {result.Connections} connections, {result.Size} B requests, {result.Seconds:0.0} s measured");
                table.AddColumns("conns", "size B", "requests", "req/s", "MiB/s", "p50 ms", "p99 ms");
                table.Caption("MiB/s: payload one way (the echo carries as much back); latency: first byte sent to last byte back");
                table.AddRow(result.Connections.ToString("N0"), result.Size.ToString("N0"), result.Requests.ToString("N0"),
                    result.RequestsPerSecond.ToString("N0"), result.MiBPerSecond.ToString("0.00"), result.P50Ms.ToString("0.000"), result.P99Ms.ToString("0.000"));
                console.Write(table);
                if (server is not null)
                {
                    long wakeUps = server.Stats.WakeUps - wakeUpsBefore, idle = server.Stats.IdleWakeUps - idleBefore;
                    console.MarkupLineInterpolated($"server ({(server.Naive ? "naive" : "write only when needed")}, in this process, traced): {wakeUps:N0} wake-ups while measuring, {idle:N0} with nothing to do");
                }
                return 0;
            }
            catch (SocketException e)
            {
                await error.WriteLineAsync($"bench multiconn: {CliArguments.Describe(e, endPoint)}").ConfigureAwait(false);
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
