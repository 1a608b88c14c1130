using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace SocketsNotebooks.Cli.Tests.Troubleshooting;

public sealed class TroubleshootingCommandsTests
{
    private static async Task<(int ExitCode, LineWriter Output, LineWriter Error)> RunAsync(params string[] args)
    {
        var output = new LineWriter();
        var error = new LineWriter();
        int exitCode = await SocketsRoot.InvokeAsync(SocketsRoot.Create(TroubleshootingCommands.Create()), args, output, error, handleCtrlC: false)
            .WaitAsync(TimeSpan.FromSeconds(10));
        return (exitCode, output, error);
    }

    [Fact]
    public async Task Netstat_ListeningPort_HeaderAndListenRow()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen();
        int port = ((IPEndPoint)listener.LocalEndPoint!).Port;

        var (exitCode, output, _) = await RunAsync("netstat", port.ToString(CultureInfo.InvariantCulture));

        Assert.Equal(0, exitCode);
        Assert.StartsWith("Proto  Recv-Q  Send-Q Local Address", output.Lines[0], StringComparison.Ordinal);
        Assert.Contains(output.Lines, l => l.Contains($"127.0.0.1:{port} ", StringComparison.Ordinal) && l.EndsWith("LISTEN", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Netstat_NoPort_ListsEverySocket()
    {
        // Two listeners on ports the OS picked (never 65432): both appear only if no filter is applied.
        using var first = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        using var second = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        var ports = new List<int>();
        foreach (var listener in new[] { first, second })
        {
            listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            listener.Listen();
            ports.Add(((IPEndPoint)listener.LocalEndPoint!).Port);
        }

        var (exitCode, output, _) = await RunAsync("netstat");

        Assert.Equal(0, exitCode);
        Assert.All(ports, port =>
            Assert.Contains(output.Lines, l => l.Contains($"127.0.0.1:{port} ", StringComparison.Ordinal) && l.EndsWith("LISTEN", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task NetstatHelp_PortArgument_SaysNoneMeansEverySocket()
    {
        var (exitCode, output, _) = await RunAsync("netstat", "--help");

        Assert.Equal(0, exitCode);
        Assert.Contains(output.Lines, l => l.Contains("0 or none = every TCP socket", StringComparison.Ordinal));
        Assert.DoesNotContain("65432", output.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Netstat_PortNotANumber_Exit2WithUsage()
    {
        var (exitCode, _, error) = await RunAsync("netstat", "http");

        Assert.Equal(SocketsRoot.UsageExitCode, exitCode);
        Assert.Contains(error.Lines, l => l.StartsWith("Usage: sockets netstat [port]", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Errors_PrintsEachErrorWithItsPythonName()
    {
        var (exitCode, output, _) = await RunAsync("errors");

        Assert.Equal(0, exitCode);
        Assert.Contains("ConnectionRefused ↔ ECONNREFUSED (111) ↔ ConnectionRefusedError", output.Lines);
    }
}
