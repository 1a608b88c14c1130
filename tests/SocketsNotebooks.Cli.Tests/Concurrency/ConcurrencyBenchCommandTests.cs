using System.Globalization;
using SocketsNotebooks.Concurrency;
using Xunit.Abstractions;

namespace SocketsNotebooks.Cli.Tests.Concurrency;

public sealed class ConcurrencyBenchCommandTests(ITestOutputHelper log)
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(60);

    private static async Task<(int ExitCode, LineWriter Output, LineWriter Error)> RunAsync(params string[] args)
    {
        var output = new LineWriter();
        var error = new LineWriter();
        int exitCode = await SocketsRoot.InvokeAsync(SocketsRoot.Create(BenchCommands.Create()), args, output, error, handleCtrlC: false)
            .WaitAsync(s_timeout);
        return (exitCode, output, error);
    }

    // The table's data rows as cells: "│ select │ 1 │ 12,345 │ ..." -> ["select", "1", "12,345", ...].
    private static List<string[]> Rows(LineWriter output) =>
        output.Lines
            .Select(l => l.Split('│', '|').Select(c => c.Trim()).Where(c => c.Length > 0).ToArray())
            .Where(cells => cells.Length == 7 && cells[0] is "blocking" or "threads" or "select" or "epoll" or "async")
            .ToList();

    [Fact]
    public async Task BenchConcurrency_TwoModelsTwoCounts_ARowForEach()
    {
        var (exitCode, output, error) = await RunAsync("bench", "concurrency", "--connections", "1,2", "--seconds", "0.2", "--models", "select,async");
        log.WriteLine(output.Text + error.Text);

        Assert.Equal(0, exitCode);
        var rows = Rows(output);
        Assert.Equal([("select", "1"), ("async", "1"), ("select", "2"), ("async", "2")], rows.Select(r => (r[0], r[1])));
        // The numbers depend on the machine (a busy one may even answer nothing in 0.2 s); the shape does not.
        Assert.All(rows, r => Assert.InRange(double.Parse(r[5], CultureInfo.InvariantCulture), 0, 1));
        // Redirected output: a plain line per measurement, not a redrawn progress bar.
        Assert.Contains(output.Lines, l => l.StartsWith("async/await, 2 connections: ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task BenchConcurrency_NoModelsGiven_EveryModelThatRunsHere()
    {
        var (exitCode, output, error) = await RunAsync("bench", "concurrency", "--connections", "1", "--seconds", "0.1", "--warmup", "0");
        log.WriteLine(output.Text + error.Text);

        Assert.Equal(0, exitCode);
        Assert.Equal(EchoModels.All.Select(ConcurrencyModelNames.Name), Rows(output).Select(r => r[0]));
    }

    [Theory]
    [InlineData("--connections", "0,5", "--connections must be whole numbers from 1 to 10,000 separated by commas, not '0,5'.")]
    [InlineData("--connections", "x", "--connections must be whole numbers from 1 to 10,000 separated by commas, not 'x'.")]
    [InlineData("--connections", "1,,10", "--connections must be whole numbers from 1 to 10,000 separated by commas, not '1,,10'.")]
    [InlineData("--connections", "10001", "--connections must be whole numbers from 1 to 10,000 separated by commas, not '10001'.")]
    [InlineData("--models", "select,fibers", "--models: model must be one of blocking, threads, select, epoll, async, not 'fibers'.")]
    [InlineData("--models", "async,Async", "--models names async twice, in 'async,Async'.")]
    [InlineData("--seconds", "31", "--seconds must be more than 0 and at most 30 seconds, not '31'.")]
    [InlineData("--size", "1048577", "--size must be a whole number from 1 to 1,048,576, not '1048577'.")]
    public async Task BenchConcurrency_BadOption_Exit2BeforeRunning(string option, string value, string message)
    {
        var (exitCode, output, error) = await RunAsync("bench", "concurrency", option, value);
        log.WriteLine(error.Text);

        Assert.Equal(SocketsRoot.UsageExitCode, exitCode);
        Assert.Contains($"sockets: {message}", error.Lines);
        Assert.Contains(error.Lines, l => l.StartsWith("Usage: sockets bench concurrency", StringComparison.Ordinal));
        Assert.Empty(output.Text);
    }
}
