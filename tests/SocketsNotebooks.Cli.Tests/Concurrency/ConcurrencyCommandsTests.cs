using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using SocketsNotebooks.Selectors;
using Xunit.Abstractions;

namespace SocketsNotebooks.Cli.Tests.Concurrency;

public sealed class ConcurrencyCommandsTests(ITestOutputHelper log)
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(15);

    private static System.CommandLine.RootCommand Root() => SocketsRoot.Create(ConcurrencyCommands.Create());

    private static async Task<(int ExitCode, LineWriter Output, LineWriter Error)> RunAsync(params string[] args)
    {
        var output = new LineWriter();
        var error = new LineWriter();
        int exitCode = await SocketsRoot.InvokeAsync(Root(), args, output, error, handleCtrlC: false).WaitAsync(s_timeout);
        return (exitCode, output, error);
    }

    // Runs `sockets serve ...` until the client is done, then cancels it like Ctrl+C; returns every line it printed.
    private async Task<string[]> ServeAsync(string[] args, Func<IPEndPoint, Task> client)
    {
        using var stop = new CancellationTokenSource();
        var output = new LineWriter();
        var error = new LineWriter();
        var server = SocketsRoot.InvokeAsync(Root(), args, output, error, stop.Token, handleCtrlC: false);
        try
        {
            string listening = await output.WaitForLineAsync(l => l.StartsWith("Listening on ", StringComparison.Ordinal), s_timeout);
            int port = int.Parse(Regex.Match(listening, @"^Listening on 127\.0\.0\.1:(\d+): ").Groups[1].Value);
            await client(new IPEndPoint(IPAddress.Loopback, port)).WaitAsync(s_timeout);
        }
        finally
        {
            await stop.CancelAsync();
            Assert.Equal(0, await server.WaitAsync(s_timeout));
            log.WriteLine(output.Text + error.Text);
        }
        return [.. output.Lines];
    }

    private static async Task EchoOnceAsync(IPEndPoint server, string message)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(server);
        byte[] sent = Encoding.UTF8.GetBytes(message);
        await socket.SendAsync(sent);
        var echoed = new byte[sent.Length];
        for (int got = 0; got < echoed.Length;)
        {
            int n = await socket.ReceiveAsync(echoed.AsMemory(got));
            Assert.True(n > 0, $"FIN after {got} of {echoed.Length} bytes");
            got += n;
        }
        Assert.Equal(message, Encoding.UTF8.GetString(echoed));
    }

    [SkippableTheory]
    [InlineData("blocking")]
    [InlineData("Threads")]
    [InlineData("SELECT")]
    [InlineData("epoll")]
    [InlineData("async")]
    public async Task Serve_EveryModelInAnyCase_EchoesAndStopsWithItsSummary(string model)
    {
        Skip.If(model == "epoll" && !EpollSelector.IsSupported, "epoll is Linux's");

        string[] lines = await ServeAsync(["serve", model, "127.0.0.1", "0"], server => EchoOnceAsync(server, "Hello, world"));

        Assert.Matches(@"^Listening on 127\.0\.0\.1:\d+: .+", lines[0]);
        Assert.Equal("Press Ctrl+C to stop.", lines[1]);
        Assert.StartsWith("Server stopped: 1 connection accepted", lines[^1], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ServeSelect_Quiet_NoLinePerConnectionOtherwiseTheTutorialsLines(bool quiet)
    {
        string[] args = quiet ? ["serve", "select", "127.0.0.1", "0", "--quiet"] : ["serve", "select", "127.0.0.1", "0"];

        string[] lines = await ServeAsync(args, server => EchoOnceAsync(server, "Hello, world"));

        Assert.StartsWith("Server stopped: ", lines[^1], StringComparison.Ordinal);
        if (quiet)
        {
            Assert.Equal(3, lines.Length);
        }
        else
        {
            Assert.Contains(lines, l => l.StartsWith("Accepted connection from ('127.0.0.1', ", StringComparison.Ordinal));
            Assert.Contains(lines, l => l.StartsWith("Echoing b'Hello, world' to ('127.0.0.1', ", StringComparison.Ordinal));
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ServeSelect_SendAtOnce_OneWakeUpPerEchoInsteadOfTwo(bool sendAtOnce)
    {
        const int echoes = 50;
        string[] args = sendAtOnce ? ["serve", "select", "127.0.0.1", "0", "--quiet", "--send-at-once"] : ["serve", "select", "127.0.0.1", "0", "--quiet"];

        // One request in flight: each echo is a recv and a send, on one wake-up or on two.
        string[] lines = await ServeAsync(args, async server =>
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            await socket.ConnectAsync(server);
            var echoed = new byte[8];
            for (int i = 0; i < echoes; i++)
            {
                await socket.SendAsync("ping-pong"u8[..8].ToArray());
                for (int got = 0; got < echoed.Length;)
                {
                    int n = await socket.ReceiveAsync(echoed.AsMemory(got));
                    Assert.True(n > 0, "FIN before the echo");
                    got += n;
                }
            }
        });

        var summary = Regex.Match(lines[^1], @"woke ([\d,]+) times, ([\d,]+) with nothing to do");
        Assert.True(summary.Success, lines[^1]);
        int busy = int.Parse(summary.Groups[1].Value.Replace(",", "")) - int.Parse(summary.Groups[2].Value.Replace(",", ""));
        // Besides the echoes: the accept, and the client's FIN after the run.
        if (sendAtOnce)
        {
            Assert.InRange(busy, echoes, echoes + 3);
        }
        else
        {
            Assert.InRange(busy, 2 * echoes, 2 * echoes + 3);
        }
    }

    [Theory]
    [InlineData("fibers", "sockets: model must be one of blocking, threads, select, epoll, async, not 'fibers'.")]
    [InlineData("2", "sockets: model must be one of blocking, threads, select, epoll, async, not '2'.")]
    public async Task Serve_UnknownModel_Exit2WithUsage(string model, string message)
    {
        var (exitCode, output, error) = await RunAsync("serve", model, "127.0.0.1", "0");
        log.WriteLine(error.Text);

        Assert.Equal(SocketsRoot.UsageExitCode, exitCode);
        Assert.Contains(message, error.Lines);
        Assert.Contains(error.Lines, l => l.StartsWith("Usage: sockets serve <model> [host] [port]", StringComparison.Ordinal));
        Assert.Empty(output.Text);
    }

    [Fact]
    public async Task Serve_NoModel_Exit2WithUsage()
    {
        var (exitCode, _, error) = await RunAsync("serve");

        Assert.Equal(SocketsRoot.UsageExitCode, exitCode);
        Assert.Contains(error.Lines, l => l.StartsWith("Usage: sockets serve <model> [host] [port]", StringComparison.Ordinal));
    }
}
