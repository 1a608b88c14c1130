using Xunit.Abstractions;

namespace SocketsNotebooks.Cli.Tests;

public sealed class BenchOptionsTests(ITestOutputHelper log)
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(10);

    private static async Task<(int ExitCode, LineWriter Output, LineWriter Error)> RunAsync(params string[] args)
    {
        var output = new LineWriter();
        var error = new LineWriter();
        int exitCode = await SocketsRoot.InvokeAsync(SocketsRoot.Create(BenchCommands.Create()), args, output, error, handleCtrlC: false)
            .WaitAsync(s_timeout);
        return (exitCode, output, error);
    }

    [Theory]
    [InlineData("multiconn", "--seconds", "0", "--seconds must be more than 0 and at most 3600 seconds, not '0'.")]
    [InlineData("app", "--seconds", "0", "--seconds must be more than 0 and at most 3600 seconds, not '0'.")]
    [InlineData("multiconn", "--seconds", "3601", "--seconds must be more than 0 and at most 3600 seconds, not '3601'.")]
    [InlineData("app", "--seconds", "3601", "--seconds must be more than 0 and at most 3600 seconds, not '3601'.")]
    [InlineData("app", "--seconds", "soon", "--seconds must be more than 0 and at most 3600 seconds, not 'soon'.")]
    [InlineData("multiconn", "--warmup", "-1", "--warmup must be from 0 to 600 seconds, not '-1'.")]
    [InlineData("app", "--warmup", "601", "--warmup must be from 0 to 600 seconds, not '601'.")]
    [InlineData("multiconn", "--connections", "0", "--connections must be a whole number from 1 to 10,000, not '0'.")]
    [InlineData("app", "--connections", "10001", "--connections must be a whole number from 1 to 10,000, not '10001'.")]
    [InlineData("pubsub", "--subscribers", "0", "--subscribers must be a whole number from 1 to 10,000, not '0'.")]
    [InlineData("pubsub", "--messages", "many", "--messages must be a whole number from 1 to 100,000,000, not 'many'.")]
    [InlineData("multiconn", "--size", "0", "--size must be a whole number from 1 to 16,777,216, not '0'.")]
    [InlineData("multiconn", "--port", "70000", "port must be a number from 0 to 65535, not '70000'.")]
    public async Task Bench_OptionOutOfRange_Exit2WithTheSameRuleEverywhere(string bench, string option, string value, string message)
    {
        var (exitCode, output, error) = await RunAsync("bench", bench, option, value);
        log.WriteLine(error.Text);

        Assert.Equal(SocketsRoot.UsageExitCode, exitCode);
        Assert.Contains($"sockets: {message}", error.Lines);
        Assert.Contains(error.Lines, l => l.StartsWith($"Usage: sockets bench {bench}", StringComparison.Ordinal));
        Assert.Empty(output.Text);
    }

    [Fact]
    public async Task BenchPubSub_PayloadLargerThanTheBrokerTakes_Exit2BeforeRunning()
    {
        var (exitCode, output, error) = await RunAsync("bench", "pubsub", "--size", "65536");
        log.WriteLine(error.Text);

        Assert.Equal(SocketsRoot.UsageExitCode, exitCode);
        Assert.Contains("sockets: --size must be a whole number from 1 to 65,522, not '65536'.", error.Lines);
        Assert.Empty(output.Text);
    }

    [Theory]
    [InlineData("multiconn")]
    [InlineData("app")]
    [InlineData("pubsub")]
    public async Task BenchHelp_EveryBench_ShowsTheRangeOfEachOption(string bench)
    {
        var (exitCode, output, _) = await RunAsync("bench", bench, "--help");

        Assert.Equal(0, exitCode);
        Assert.Contains("1 to 10,000", output.Text, StringComparison.Ordinal);
        Assert.Contains(bench == "pubsub" ? "1 to 100,000,000" : "more than 0 and at most 3600 seconds", output.Text, StringComparison.Ordinal);
    }
}
