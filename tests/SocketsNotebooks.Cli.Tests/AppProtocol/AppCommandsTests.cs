using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Xunit.Abstractions;

namespace SocketsNotebooks.Cli.Tests.AppProtocol;

public sealed class AppCommandsTests(ITestOutputHelper log)
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(10);

    private static async Task<(int ExitCode, LineWriter Output, LineWriter Error)> RunAsync(params string[] args)
    {
        var output = new LineWriter();
        var error = new LineWriter();
        int exitCode = await SocketsRoot.InvokeAsync(SocketsRoot.Create(AppCommands.Create()), args, output, error, handleCtrlC: false)
            .WaitAsync(s_timeout);
        return (exitCode, output, error);
    }

    [Theory]
    [InlineData("app-client", "127.0.0.1", "65432", "search")]
    [InlineData("app-client", "127.0.0.1", "port", "search", "morpheus")]
    [InlineData("app-client", "127.0.0.1", "65432", "search", "morpheus", "extra")]
    [InlineData("app-client")]
    public async Task AppClient_BadArguments_Exit2WithUsage(params string[] args)
    {
        var (exitCode, output, error) = await RunAsync(args);

        Assert.Equal(SocketsRoot.UsageExitCode, exitCode);
        Assert.Contains(error.Lines, l => l.StartsWith("Usage: sockets app-client <host> <port> <action> <value>", StringComparison.Ordinal));
        Assert.Empty(output.Text);
    }

    [Fact]
    public async Task AppServer_BadPort_Exit2WithUsage()
    {
        var (exitCode, _, error) = await RunAsync("app-server", "127.0.0.1", "70000");

        Assert.Equal(SocketsRoot.UsageExitCode, exitCode);
        Assert.Contains(error.Lines, l => l.StartsWith("Usage: sockets app-server [host] [port]", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AppServerAndClient_Search_PrintLikeTheTutorial()
    {
        using var stop = new CancellationTokenSource();
        var serverOutput = new LineWriter();
        var server = SocketsRoot.InvokeAsync(SocketsRoot.Create(AppCommands.Create()), ["app-server", "127.0.0.1", "0"],
            serverOutput, new LineWriter(), stop.Token, handleCtrlC: false);
        try
        {
            string listening = await serverOutput.WaitForLineAsync(l => l.StartsWith("Listening on ", StringComparison.Ordinal), s_timeout);
            string port = Regex.Match(listening, @"\('127\.0\.0\.1', (\d+)\)$").Groups[1].Value;

            var (exitCode, output, error) = await RunAsync("app-client", "127.0.0.1", port, "search", "morpheus");
            log.WriteLine(output.Text + error.Text);

            Assert.Equal(0, exitCode);
            Assert.Equal(
            [
                $"Starting connection to ('127.0.0.1', {port})",
                $"Sending b'\\x00g{{\"byteorder\": \"{(BitConverter.IsLittleEndian ? "little" : "big")}\", \"content-type\": \"text/json\", \"content-encoding\": \"utf-8\", \"content-length\": 41}}{{\"action\": \"search\", \"value\": \"morpheus\"}}' to ('127.0.0.1', {port})",
                "Got result: Follow the white rabbit. 🐰",
                $"Closing connection to ('127.0.0.1', {port})",
            ], output.Lines);
            await serverOutput.WaitForLineAsync(l => l.StartsWith("Received request {'action': 'search', 'value': 'morpheus'} from ('127.0.0.1', ", StringComparison.Ordinal), s_timeout);
            await serverOutput.WaitForLineAsync(l => l.StartsWith("Sending b'\\x00g{\"byteorder\"", StringComparison.Ordinal) && l.Contains("rabbit. \\xf0\\x9f\\x90\\xb0\"}'", StringComparison.Ordinal), s_timeout);
        }
        finally
        {
            await stop.CancelAsync();
            Assert.Equal(0, await server.WaitAsync(s_timeout));
            log.WriteLine(serverOutput.Text);
        }
        Assert.Equal("Server stopped.", serverOutput.Lines[^1]);
    }

    [Fact]
    public async Task AppClient_BinaryAction_PrintsResponseBytes()
    {
        using var stop = new CancellationTokenSource();
        var serverOutput = new LineWriter();
        var server = SocketsRoot.InvokeAsync(SocketsRoot.Create(AppCommands.Create()), ["app-server", "127.0.0.1", "0"],
            serverOutput, new LineWriter(), stop.Token, handleCtrlC: false);
        try
        {
            string listening = await serverOutput.WaitForLineAsync(l => l.StartsWith("Listening on ", StringComparison.Ordinal), s_timeout);
            string port = Regex.Match(listening, @"(\d+)\)$").Groups[1].Value;

            var (exitCode, output, _) = await RunAsync("app-client", "127.0.0.1", port, "binary", "ü🐶");

            Assert.Equal(0, exitCode);
            Assert.Contains("Got response: b'First 10 bytes of request: binary\\xc3\\xbc\\xf0\\x9f'", output.Lines);
        }
        finally
        {
            await stop.CancelAsync();
            await server.WaitAsync(s_timeout);
        }
    }

    [Fact]
    public async Task BenchApp_ShortRun_PrintsTheTable()
    {
        var output = new LineWriter();
        var error = new LineWriter();

        int exitCode = await SocketsRoot.InvokeAsync(SocketsRoot.Create(BenchCommands.Create()),
            ["bench", "app", "--connections", "2", "--seconds", "0.3", "--warmup", "0"], output, error, handleCtrlC: false).WaitAsync(s_timeout);
        log.WriteLine(output.Text + error.Text);

        Assert.Equal(0, exitCode);
        Assert.Contains("requests/s", output.Text, StringComparison.Ordinal);
        Assert.Contains("bench app: 2 in flight", output.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BenchApp_NoConnections_Exit2()
    {
        var output = new LineWriter();
        var error = new LineWriter();

        int exitCode = await SocketsRoot.InvokeAsync(SocketsRoot.Create(BenchCommands.Create()),
            ["bench", "app", "--connections", "0"], output, error, handleCtrlC: false).WaitAsync(s_timeout);

        Assert.Equal(SocketsRoot.UsageExitCode, exitCode);
    }

    [Fact]
    public async Task AppClient_NobodyListening_Exit1ConnectionRefused()
    {
        int freePort;
        using (var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
        {
            probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            freePort = ((IPEndPoint)probe.LocalEndPoint!).Port;
        }

        var (exitCode, _, error) = await RunAsync("app-client", "127.0.0.1", freePort.ToString(System.Globalization.CultureInfo.InvariantCulture), "search", "x");

        Assert.Equal(SocketsRoot.FailureExitCode, exitCode);
        Assert.StartsWith("app-client: connection refused", Assert.Single(error.Lines), StringComparison.Ordinal);
    }
}
