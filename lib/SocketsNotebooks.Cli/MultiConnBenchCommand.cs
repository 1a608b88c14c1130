using System.CommandLine;
using System.Net;
using System.Net.Sockets;
using SocketsNotebooks.MultiConn;
using SocketsNotebooks.Tracing;
using Spectre.Console;

namespace SocketsNotebooks.Cli;

/// <summary>
/// <c>sockets bench multiconn</c>: load the multi-connection echo server of notebook 02 with C connections,
/// one request of BYTES in flight on each, and print requests/s, MiB/s and latency.
/// </summary>
public static class MultiConnBenchCommand
{
    /// <summary>The <c>multiconn</c> subcommand of <c>bench</c>.</summary>
    public static Command Create()
    {
        var connections = BenchOptions.Connections("connections, each with one request in flight");
        var size = BenchOptions.Size("bytes per request", defaultValue: 1024);
        var seconds = BenchOptions.Seconds();
        var warmUp = BenchOptions.WarmUp();
        var host = BenchOptions.Host();
        var port = BenchOptions.Port();
        var naive = new Option<bool>("--naive") { Description = "run the in-process server in the tutorial's always-Read|Write mode" };
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
