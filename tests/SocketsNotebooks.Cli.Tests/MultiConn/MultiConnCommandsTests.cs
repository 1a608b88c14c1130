using System.Text.RegularExpressions;
using Xunit.Abstractions;

namespace SocketsNotebooks.Cli.Tests.MultiConn;

public sealed class MultiConnCommandsTests(ITestOutputHelper log)
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(15);

    private static System.CommandLine.RootCommand Root() => SocketsRoot.Create(MultiConnCommands.Create(), BenchCommands.Create());

    private static async Task<(int ExitCode, LineWriter Output, LineWriter Error)> RunAsync(params string[] args)
    {
        var output = new LineWriter();
        var error = new LineWriter();
        int exitCode = await SocketsRoot.InvokeAsync(Root(), args, output, error, handleCtrlC: false).WaitAsync(s_timeout);
        return (exitCode, output, error);
    }

    [Theory]
    [InlineData("multiconn-client", "127.0.0.1", "65432")]
    [InlineData("multiconn-client", "127.0.0.1", "65432", "2", "extra")]
    [InlineData("multiconn-client", "127.0.0.1", "65432", "zero")]
    public async Task MultiConnClient_WrongArguments_Exit2WithUsage(params string[] args)
    {
        var (exitCode, output, error) = await RunAsync(args);

        Assert.Equal(SocketsRoot.UsageExitCode, exitCode);
        Assert.Contains(error.Lines, l => l.StartsWith("Usage: sockets multiconn-client <host> <port> <num_connections>", StringComparison.Ordinal));
        Assert.Empty(output.Text);
    }

    [Theory]
    [InlineData("multiconn-server")]
    [InlineData("multiconn-server", "127.0.0.1")]
    [InlineData("multiconn-server", "127.0.0.1", "1", "2")]
    public async Task MultiConnServer_WrongArguments_Exit2WithUsage(params string[] args)
    {
        var (exitCode, _, error) = await RunAsync(args);

        Assert.Equal(SocketsRoot.UsageExitCode, exitCode);
        Assert.Contains(error.Lines, l => l.StartsWith("Usage: sockets multiconn-server <host> <port>", StringComparison.Ordinal));
    }

    [Fact]
    public async Task MultiConnServerAndClient_TwoConnections_PrintLikeTheTutorial()
    {
        using var stop = new CancellationTokenSource();
        var serverOutput = new LineWriter();
        var server = SocketsRoot.InvokeAsync(Root(), ["multiconn-server", "127.0.0.1", "0"], serverOutput, new LineWriter(), stop.Token, handleCtrlC: false);
        try
        {
            string listening = await serverOutput.WaitForLineAsync(l => l.StartsWith("Listening on ", StringComparison.Ordinal), s_timeout);
            string port = Regex.Match(listening, @"\('127\.0\.0\.1', (\d+)\)$").Groups[1].Value;

            var (exitCode, output, error) = await RunAsync("multiconn-client", "127.0.0.1", port, "2");
            log.WriteLine(output.Text + error.Text);

            Assert.Equal(0, exitCode);
            Assert.Equal($"Starting connection 1 to ('127.0.0.1', {port})", output.Lines[0]);
            Assert.Contains("Sending b'Message 2 from client.' to connection 2", output.Lines);
            Assert.Contains(output.Lines, l => l.StartsWith("Received b'Message 1 from client.", StringComparison.Ordinal) && l.EndsWith("from connection 1", StringComparison.Ordinal));
            Assert.Contains("Closing connection 2", output.Lines);
            await serverOutput.WaitForLineAsync(l => l.StartsWith("Accepted connection from ('127.0.0.1', ", StringComparison.Ordinal), s_timeout);
            await serverOutput.WaitForLineAsync(l => l.StartsWith("Echoing b'Message 1 from client.", StringComparison.Ordinal), s_timeout);
            await serverOutput.WaitForLineAsync(l => l.StartsWith("Closing connection to ('127.0.0.1', ", StringComparison.Ordinal), s_timeout);
        }
        finally
        {
            await stop.CancelAsync();
            Assert.Equal(0, await server.WaitAsync(s_timeout));
            log.WriteLine(serverOutput.Text);
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task MultiConnServer_StoppedRightAfterTheEchoes_EchoingLinesUnlessQuietThenTheLastLine(bool quiet)
    {
        using var stop = new CancellationTokenSource();
        var serverOutput = new LineWriter();
        string[] args = quiet ? ["multiconn-server", "127.0.0.1", "0", "--quiet"] : ["multiconn-server", "127.0.0.1", "0"];
        var server = SocketsRoot.InvokeAsync(Root(), args, serverOutput, new LineWriter(), stop.Token, handleCtrlC: false);
        string[] lines;
        try
        {
            string listening = await serverOutput.WaitForLineAsync(l => l.StartsWith("Listening on ", StringComparison.Ordinal), s_timeout);
            string port = Regex.Match(listening, @"\('127\.0\.0\.1', (\d+)\)$").Groups[1].Value;
            var (exitCode, _, _) = await RunAsync("multiconn-client", "127.0.0.1", port, "2");
            Assert.Equal(0, exitCode);
        }
        finally
        {
            // At once, without waiting for the server's lines: Ctrl+C must not lose the ones still buffered.
            await stop.CancelAsync();
            Assert.Equal(0, await server.WaitAsync(s_timeout));
            lines = [.. serverOutput.Lines];
            log.WriteLine(serverOutput.Text);
        }

        Assert.StartsWith("Server stopped: ", lines[^1], StringComparison.Ordinal);
        if (quiet)
        {
            Assert.Equal(["Press Ctrl+C to stop."], lines[1..^1]);
        }
        else
        {
            // Logged before each echo was sent, so before the client finished: all in, however the bytes were cut
            // (the "Closing" lines are not: a FIN still unread at the stop is closed without one).
            Assert.Equal(2, lines.Count(l => l.StartsWith("Accepted connection from ", StringComparison.Ordinal)));
            Assert.True(lines.Count(l => l.StartsWith("Echoing b'Message ", StringComparison.Ordinal)) >= 2);
        }
    }

    [Fact]
    public async Task MultiConnClient_NobodyListening_Exit1()
    {
        var (exitCode, _, error) = await RunAsync("multiconn-client", "127.0.0.1", "1", "2");

        Assert.Equal(SocketsRoot.FailureExitCode, exitCode);
        Assert.Contains(error.Lines, l => l.Contains("ConnectFailed", StringComparison.Ordinal));
    }

    [Fact]
    public async Task BenchMultiConn_ShortRun_PrintsTableWithRequestsPerSecond()
    {
        var (exitCode, output, error) = await RunAsync("bench", "multiconn", "--connections", "2", "--size", "64", "--seconds", "0.3", "--warmup", "0.1");
        log.WriteLine(output.Text + error.Text);

        Assert.Equal(0, exitCode);
        Assert.Contains("req/s", output.Text, StringComparison.Ordinal);
        Assert.Contains("p99 ms", output.Text, StringComparison.Ordinal);
    }
}
