using System.CommandLine;
using System.Net.Sockets;
using SocketsNotebooks.Concurrency;
using Spectre.Console;

namespace SocketsNotebooks.Cli;

/// <summary>
/// <c>sockets bench concurrency</c>: notebook 06's comparison in a terminal — every concurrency model (or the
/// ones listed), in this process and untraced, against the library's closed-loop load (<see cref="ConcurrencyBench"/>,
/// <see cref="EchoLoad"/>) at each number of connections, and one table: requests/s, p50, p99, and each
/// model's share of the fastest at that number of connections.
/// </summary>
public static class ConcurrencyBenchCommand
{
    // EchoLoad's largest request: say so before the run instead of failing in it.
    private const int MaxRequestSize = 1 << 20;

    /// <summary>The <c>concurrency</c> subcommand of <c>bench</c>.</summary>
    public static Command Create()
    {
        var connections = BenchOptions.ConnectionCounts("numbers of connections to measure every model at, one request in flight on each", 1, 10, 100, 1000);
        var seconds = BenchOptions.Seconds("measured period of each model at each number of connections", defaultValue: 1, max: EchoLoad.MaxDuration.TotalSeconds);
        var warmUp = BenchOptions.WarmUp("longest warm-up before each measured period (it ends early once every connection had an echo)",
            defaultValue: 0.5, max: EchoLoad.MaxDuration.TotalSeconds);
        var size = BenchOptions.Size("bytes per request", defaultValue: 1024, max: MaxRequestSize);
        ConcurrencyModel[] everyModel = [.. EchoModels.All];
        var models = new Option<ConcurrencyModel[]>("--models")
        {
            // No DefaultValueFactory: help would print the enum's names (Blocking|Threads|...), not the words it takes.
            Description = $"models to measure, separated by commas: {ConcurrencyModelNames.Choices} (default: every one that runs here)",
            CustomParser = result => ConcurrencyModelNames.ParseList(result, "--models", everyModel),
            Arity = ArgumentArity.ExactlyOne,
        };
        var command = new Command("concurrency", "Every concurrency model against the same closed-loop echo load: requests/s, p50, p99 side by side.")
        {
            connections, seconds, warmUp, size, models,
        };
        command.SetAction(async (parsed, cancellationToken) =>
        {
            var output = parsed.InvocationConfiguration.Output;
            var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(output) });
            // Absent, a list option reads as an empty list.
            var chosen = parsed.GetValue(models) is { Length: > 0 } listed ? listed : everyModel;
            // Counts outer, models inner, as ConcurrencyBench runs them: the models take turns, so a busy
            // moment of the machine does not fall on one model only.
            var points = parsed.GetValue(connections)!.SelectMany(count => chosen.Select(model => (Model: model, Connections: count))).ToList();
            var run = new Run(TimeSpan.FromSeconds(parsed.GetValue(seconds)), TimeSpan.FromSeconds(parsed.GetValue(warmUp)), parsed.GetValue(size));
            bool stopped = false;
            try
            {
                if (console.Profile.Capabilities is { Interactive: true, Ansi: true })
                {
                    await console.Progress()
                        .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new SpinnerColumn())
                        .StartAsync(async progress =>
                        {
                            var bar = progress.AddTask("starting", maxValue: points.Count);
                            await run.MeasureAsync(points, point => bar.Description = $"{ConcurrencyModelNames.Name(point.Model)} at {point.Connections:N0} connection{(point.Connections == 1 ? "" : "s")}",
                                _ => bar.Increment(1), cancellationToken).ConfigureAwait(false);
                        }).ConfigureAwait(false);
                }
                else
                {
                    // Redirected (a file, a pipe, a test): a plain line per point instead of a redrawn bar.
                    await run.MeasureAsync(points, _ => { }, result => output.WriteLine(result.ToString()), cancellationToken).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                stopped = true;
            }
            catch (SocketException e)
            {
                await parsed.InvocationConfiguration.Error.WriteLineAsync($"bench concurrency: {e.SocketErrorCode}: {e.Message}").ConfigureAwait(false);
                return SocketsRoot.FailureExitCode;
            }

            var rows = ConcurrencyBenchRow.From(run.Measured);
            console.Write(Table(rows, run));
            if (stopped)
            {
                console.MarkupLine($"stopped (Ctrl+C) after {rows.Count} of {points.Count} measurements.");
            }
            foreach (var row in rows.Where(r => r.Result.Failed > 0 || r.Result.Mismatches > 0))
            {
                console.MarkupLineInterpolated($"{row.Model} at {row.Connections:N0} connections: {row.Result.Failed:N0} connections closed by the server, {row.Result.Mismatches:N0} wrong echoes.");
            }
            // A wrong echo is a bug in a server, not a slow one.
            return rows.Any(r => r.Result.Mismatches > 0) ? SocketsRoot.FailureExitCode : 0;
        });
        return command;
    }

    private static Table Table(IReadOnlyList<ConcurrencyBenchRow> rows, Run run)
    {
        var table = new Table().Title($"bench concurrency: {run.Size:N0} B requests, {run.Duration.TotalSeconds:0.0##} s measured per row, servers in this process, untraced");
        table.AddColumn("model");
        foreach (string numeric in new[] { "conns", "req/s", "p50 ms", "p99 ms", "vs fastest", "served" })
        {
            table.AddColumn(new TableColumn(numeric).RightAligned());
        }
        table.Caption("vs fastest: req/s as a share of the fastest model at that number of connections; served: connections that had an echo in the measured period");
        for (int i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            if (i > 0 && row.Connections != rows[i - 1].Connections)
            {
                table.AddEmptyRow(); // one group per number of connections: the ratios compare within it
            }
            table.AddRow(row.Model, row.Connections.ToString("N0"), row.RequestsPerSecond.ToString("N0"),
                row.P50Ms?.ToString("0.000") ?? "-", row.P99Ms?.ToString("0.000") ?? "-", row.VsFastest.ToString("0.00"),
                row.Served == row.Connections ? "all" : row.Served.ToString("N0"));
        }
        return table;
    }

    // One run's settings and what it measured so far (kept when Ctrl+C stops it half-way).
    private sealed class Run(TimeSpan duration, TimeSpan warmUp, int size)
    {
        private readonly List<(ConcurrencyModel, EchoLoadResult)> _measured = [];

        public TimeSpan Duration => duration;

        public int Size => size;

        public IReadOnlyList<(ConcurrencyModel Model, EchoLoadResult Result)> Measured => _measured;

        public async Task MeasureAsync(IReadOnlyList<(ConcurrencyModel Model, int Connections)> points,
            Action<(ConcurrencyModel Model, int Connections)> starting, Action<EchoLoadResult> done, CancellationToken cancellationToken)
        {
            foreach (var point in points)
            {
                cancellationToken.ThrowIfCancellationRequested();
                starting(point);
                // One point per call, so Ctrl+C is heard between points, and abandons at most the one being measured
                // (it ends by itself within its period and stops its server).
                var results = await ConcurrencyBench.RunAsync([point.Model], [point.Connections], duration, warmUp, size)
                    .WaitAsync(cancellationToken).ConfigureAwait(false);
                _measured.Add((point.Model, results[0]));
                done(results[0]);
            }
        }
    }
}
