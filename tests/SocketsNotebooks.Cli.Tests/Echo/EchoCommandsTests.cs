using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Xunit.Abstractions;

namespace SocketsNotebooks.Cli.Tests.Echo;

public sealed class EchoCommandsTests(ITestOutputHelper log)
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(10);

    private static async Task<(int ExitCode, LineWriter Output, LineWriter Error)> RunAsync(params string[] args)
    {
        var output = new LineWriter();
        var error = new LineWriter();
        int exitCode = await SocketsRoot.InvokeAsync(SocketsRoot.Create(EchoCommands.Create()), args, output, error, handleCtrlC: false)
            .WaitAsync(s_timeout);
        return (exitCode, output, error);
    }

    [Theory]
    [InlineData("echo-server", "127.0.0.1", "abc")]
    [InlineData("echo-server", "127.0.0.1", "70000")]
    [InlineData("echo-server", "127.0.0.1", "65432", "extra")]
    [InlineData("echo-client", "127.0.0.1", "65432", "Hello", "extra")]
    [InlineData("echo-client", "127.0.0.1", "port")]
    public async Task EchoCommand_BadArguments_Exit2WithUsageOnStderr(params string[] args)
    {
        var (exitCode, output, error) = await RunAsync(args);
        log.WriteLine(error.Text);

        Assert.Equal(SocketsRoot.UsageExitCode, exitCode);
        Assert.Contains(error.Lines, line => line.StartsWith($"Usage: sockets {args[0]} [host] [port]", StringComparison.Ordinal));
        Assert.Empty(output.Text);
    }

    [Fact]
    public async Task Sockets_NoCommand_Exit2WithUsage()
    {
        var (exitCode, _, error) = await RunAsync();

        Assert.Equal(SocketsRoot.UsageExitCode, exitCode);
        Assert.Contains(error.Lines, line => line.StartsWith("Usage: sockets <command>", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Sockets_Help_ListsEchoCommandsAndExits0()
    {
        var (exitCode, output, _) = await RunAsync("--help");

        Assert.Equal(0, exitCode);
        Assert.Contains("echo-server", output.Text, StringComparison.Ordinal);
        Assert.Contains("echo-client", output.Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new string[0], "b'Hello, world'")]
    [InlineData(new[] { "it's a \"test\"\n" }, "b'it\\'s a \"test\"\\n'")]
    public async Task EchoServerAndClient_Port0_ClientPrintsWhatCameBackPythonStyle(string[] message, string expectedRepr)
    {
        using var stop = new CancellationTokenSource();
        var serverOutput = new LineWriter();
        var serverError = new LineWriter();
        var server = SocketsRoot.InvokeAsync(SocketsRoot.Create(EchoCommands.Create()), ["echo-server", "127.0.0.1", "0"],
            serverOutput, serverError, stop.Token, handleCtrlC: false);
        try
        {
            string listening = await serverOutput.WaitForLineAsync(l => l.StartsWith("Listening on ", StringComparison.Ordinal), s_timeout);
            string port = Regex.Match(listening, @"127\.0\.0\.1:(\d+)$").Groups[1].Value;
            Assert.NotEqual("0", port);

            var (exitCode, output, error) = await RunAsync(["echo-client", "127.0.0.1", port, .. message]);
            log.WriteLine(output.Text + error.Text);

            Assert.Equal(0, exitCode);
            Assert.Equal([$"Received {expectedRepr}"], output.Lines);
            await serverOutput.WaitForLineAsync(l => l.StartsWith("Connected by 127.0.0.1:", StringComparison.Ordinal), s_timeout);
            await serverOutput.WaitForLineAsync(l => l.Contains($"echoed ", StringComparison.Ordinal) && l.EndsWith(expectedRepr, StringComparison.Ordinal), s_timeout);
        }
        finally
        {
            await stop.CancelAsync();
            Assert.Equal(0, await server.WaitAsync(s_timeout));
            log.WriteLine(serverOutput.Text);
        }
        Assert.Equal("Server stopped.", serverOutput.Lines[^1]);
        Assert.Empty(serverError.Text);
    }

    [Fact]
    public async Task EchoClient_NobodyListening_Exit1WithOneLineConnectionRefused()
    {
        int freePort;
        using (var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
        {
            probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            freePort = ((IPEndPoint)probe.LocalEndPoint!).Port;
        }

        var (exitCode, output, error) = await RunAsync("echo-client", "127.0.0.1", freePort.ToString(System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal(SocketsRoot.FailureExitCode, exitCode);
        var line = Assert.Single(error.Lines);
        Assert.StartsWith("echo-client: connection refused", line, StringComparison.Ordinal);
        Assert.Empty(output.Text);
    }

    [Fact]
    public async Task EchoServer_PortAlreadyInUse_Exit1WithAddressInUse()
    {
        using var holder = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        holder.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        holder.Listen();
        string port = ((IPEndPoint)holder.LocalEndPoint!).Port.ToString(System.Globalization.CultureInfo.InvariantCulture);

        var (exitCode, _, error) = await RunAsync("echo-server", "127.0.0.1", port);

        Assert.Equal(SocketsRoot.FailureExitCode, exitCode);
        Assert.Contains(error.Lines, l => l.StartsWith("echo-server: address already in use", StringComparison.Ordinal));
    }
}
