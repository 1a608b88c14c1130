using System.Globalization;
using System.Net;
using System.Net.Sockets;
using SocketsNotebooks.Echo;
using SocketsNotebooks.Inside;
using SocketsNotebooks.Tracing;

namespace SocketsNotebooks.Cli.Tests.Inside;

public sealed class InsideCommandsTests
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(30);

    private static Task<int> Start(LineWriter output, LineWriter error, CancellationToken cancellationToken, params string[] args) =>
        SocketsRoot.InvokeAsync(InsideCommands.AddTo(SocketsRoot.Create()), args, output, error, cancellationToken, handleCtrlC: false);

    private static string Text(int number) => number.ToString(CultureInfo.InvariantCulture);

    [SkippableFact]
    public async Task Capture_ExchangeWhileItRuns_PrintsTheLadderAndWritesThePcap()
    {
        var rights = SegmentCapture.Check();
        Skip.If(!rights.CanCapture && !InCi, $"this process may not capture: {rights.Reason}");
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen();
        int port = ((IPEndPoint)listener.LocalEndPoint!).Port;
        string pcap = Path.Combine(Path.GetTempPath(), $"sockets-cli-capture-{Guid.NewGuid():N}.pcap");
        var (output, error) = (new LineWriter(), new LineWriter());
        using var stop = new CancellationTokenSource();
        try
        {
            var command = Start(output, error, stop.Token, "capture", Text(port), "60", pcap);
            await output.WaitForLineAsync(l => l.StartsWith("Capturing tcp port", StringComparison.Ordinal), s_timeout);
            using (var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveTimeout = 5000 })
            {
                client.Connect(listener.LocalEndPoint!);
                using var server = listener.Accept();
                client.Send("Hello"u8);
                server.Receive(new byte[16]);
                server.Close();
                Assert.Equal(0, client.Receive(new byte[16])); // the server's FIN has arrived, so it was captured
            }

            stop.Cancel(); // Ctrl+C: the capture ends early and keeps what it has
            int exit = await command.WaitAsync(s_timeout);

            Assert.True(exit == 0, error.Text);
            Assert.Contains(output.Lines, l => l.EndsWith($"server 127.0.0.1:{port}", StringComparison.Ordinal));
            Assert.Contains(output.Lines, l => l.Contains("client → server  [SYN] seq 0 ack 0 len 0", StringComparison.Ordinal));
            Assert.Contains(output.Lines, l => l.Contains("client → server  [PSH, ACK] seq 1 ack 1 len 5", StringComparison.Ordinal));
            Assert.Contains(output.Lines, l => l.Contains("server → client  [FIN, ACK]", StringComparison.Ordinal));
            int printed = output.Lines.Count(l => l.Contains(" ms  ", StringComparison.Ordinal));
            Assert.Equal(printed, PcapFile.Read(pcap).Count);
            Assert.Contains(output.Lines, l => l == $"wrote {printed} segments to {pcap}");
        }
        finally
        {
            File.Delete(pcap);
        }
    }

    [Fact]
    public async Task Capture_PortMissing_Exit2WithUsage()
    {
        var (output, error) = (new LineWriter(), new LineWriter());

        int exit = await Start(output, error, CancellationToken.None, "capture").WaitAsync(s_timeout);

        Assert.Equal(SocketsRoot.UsageExitCode, exit);
        Assert.Contains(error.Lines, l => l.StartsWith("Usage: sockets capture <port> [seconds] [file]", StringComparison.Ordinal));
    }

    [SkippableFact]
    public async Task TcpInfo_EchoServer_OneLinePerReadingEstablished()
    {
        Skip.If(!TcpInfoReader.IsAvailable, TcpInfoReader.NotAvailableReason);
        using var echo = EchoServer.Start(new Trace(), "tcpinfo-command-test");
        var (output, error) = (new LineWriter(), new LineWriter());

        int exit = await Start(output, error, CancellationToken.None, "tcpinfo", "127.0.0.1", Text(echo.Port), "--seconds", "0.5", "--every", "100")
            .WaitAsync(s_timeout);

        Assert.True(exit == 0, error.Text);
        Assert.StartsWith("       ms  state         rtt ms  cwnd unacked retrans peer window", output.Lines[0], StringComparison.Ordinal);
        string[] readings = [.. output.Lines.Skip(1)];
        Assert.InRange(readings.Length, 1, 6);
        Assert.All(readings, l => Assert.Contains(" ESTABLISHED ", l, StringComparison.Ordinal));
    }

    [Fact]
    public async Task TcpInfo_NobodyListening_ConnectionRefusedExit1()
    {
        // A port the OS just gave out and nobody listens on any more.
        int port;
        using (var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
        {
            probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            port = ((IPEndPoint)probe.LocalEndPoint!).Port;
        }
        var (output, error) = (new LineWriter(), new LineWriter());

        int exit = await Start(output, error, CancellationToken.None, "tcpinfo", "127.0.0.1", Text(port)).WaitAsync(s_timeout);

        Assert.Equal(SocketsRoot.FailureExitCode, exit);
        Assert.Contains(error.Lines, l => l.StartsWith("tcpinfo: connection refused", StringComparison.Ordinal));
    }

    private static bool InCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);
}
