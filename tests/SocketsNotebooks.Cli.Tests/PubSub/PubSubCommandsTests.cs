using System.CommandLine;
using System.Text.RegularExpressions;
using Xunit.Abstractions;

namespace SocketsNotebooks.Cli.Tests.PubSub;

public sealed class PubSubCommandsTests(ITestOutputHelper log)
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(10);

    private static RootCommand Root() => SocketsRoot.Create(PubSubCommands.Create(), BenchCommands.Create());

    private static async Task<(int ExitCode, LineWriter Output, LineWriter Error)> RunAsync(params string[] args)
    {
        var output = new LineWriter();
        var error = new LineWriter();
        int exitCode = await SocketsRoot.InvokeAsync(Root(), args, output, error, handleCtrlC: false).WaitAsync(s_timeout);
        return (exitCode, output, error);
    }

    [Theory]
    [InlineData("Usage: sockets pubsub-broker <host> <port>", "pubsub-broker", "127.0.0.1")]
    [InlineData("Usage: sockets pubsub-broker <host> <port>", "pubsub-broker", "127.0.0.1", "port")]
    [InlineData("Usage: sockets publish <host> <port> <topic> <payload>", "publish", "127.0.0.1", "65432", "10001")]
    [InlineData("Usage: sockets publish <host> <port> <topic> <payload>", "publish", "127.0.0.1", "99999", "10001", "23")]
    [InlineData("Usage: sockets subscribe <host> <port> <topic> [count]", "subscribe", "127.0.0.1", "65432")]
    [InlineData("Usage: sockets subscribe <host> <port> <topic> [count]", "subscribe", "127.0.0.1", "65432", "100", "0")]
    [InlineData("Usage: sockets subscribe <host> <port> <topic> [count]", "subscribe", "127.0.0.1", "65432", "100", "many")]
    [InlineData("Usage: sockets subscribe <host> <port> <topic> [count]", "subscribe", "127.0.0.1", "65432", "two words")]
    [InlineData("Usage: sockets bench pubsub", "bench", "pubsub", "--subscribers", "0")]
    public async Task PubSubCommand_BadArguments_Exit2WithUsageOnStderr(string usage, params string[] args)
    {
        var (exitCode, output, error) = await RunAsync(args);
        log.WriteLine(error.Text);

        Assert.Equal(SocketsRoot.UsageExitCode, exitCode);
        Assert.Contains(error.Lines, line => line.StartsWith(usage, StringComparison.Ordinal));
        Assert.Empty(output.Text);
    }

    [Fact]
    public async Task BrokerPublishSubscribe_Port0_SubscriberPrintsMatchingMessagesOnly()
    {
        using var stop = new CancellationTokenSource();
        var brokerOutput = new LineWriter();
        var broker = SocketsRoot.InvokeAsync(Root(), ["pubsub-broker", "127.0.0.1", "0"], brokerOutput, new LineWriter(), stop.Token, handleCtrlC: false);
        try
        {
            string listening = await brokerOutput.WaitForLineAsync(l => l.StartsWith("Listening on ", StringComparison.Ordinal), s_timeout);
            string port = Regex.Match(listening, @"127\.0\.0\.1:(\d+)$").Groups[1].Value;
            var subscriberOutput = new LineWriter();
            var subscriber = SocketsRoot.InvokeAsync(Root(), ["subscribe", "127.0.0.1", port, "100", "2"], subscriberOutput, new LineWriter(), handleCtrlC: false);
            await subscriberOutput.WaitForLineAsync(l => l.StartsWith("Subscribed to '100'", StringComparison.Ordinal), s_timeout);

            Assert.Equal(0, (await RunAsync("publish", "127.0.0.1", port, "20001", "30", "50")).ExitCode);
            var (exitCode, output, _) = await RunAsync("publish", "127.0.0.1", port, "10001", "23", "45");
            Assert.Equal(0, exitCode);
            Assert.Equal(["Published to '10001': 23 45"], output.Lines);
            Assert.Equal(0, (await RunAsync("publish", "127.0.0.1", port, "10021", "19", "40")).ExitCode);

            Assert.Equal(0, await subscriber.WaitAsync(s_timeout));
            Assert.Equal(["Received 10001 23 45", "Received 10021 19 40"], subscriberOutput.Lines.Where(l => l.StartsWith("Received", StringComparison.Ordinal)));
        }
        finally
        {
            stop.Cancel();
            await broker.WaitAsync(s_timeout);
        }
    }

    [Fact]
    public async Task BenchPubSub_SmallRun_Exit0WithDeliveredRate()
    {
        var (exitCode, output, error) = await RunAsync("bench", "pubsub", "--subscribers", "5", "--messages", "300");
        log.WriteLine(output.Text + error.Text);

        Assert.Equal(0, exitCode);
        Assert.Contains(output.Lines, l => l.Contains("delivered / s (all subscribers)", StringComparison.Ordinal));
        Assert.Contains(output.Lines, l => Regex.IsMatch(l, @"subscribers cut off\s+│\s+0 │"));
    }

    [Fact]
    public async Task Subscribe_BrokerHangsUpBeforeAcknowledging_Exit1WithOneLine()
    {
        // A "broker" that accepts, reads the subscribe request and closes without answering:
        // SubscribeAsync itself fails, before any message could arrive.
        using var fake = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        fake.Start();
        string port = ((System.Net.IPEndPoint)fake.LocalEndpoint).Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var hangUp = Task.Run(async () =>
        {
            using var connection = await fake.AcceptSocketAsync().WaitAsync(s_timeout);
            await connection.ReceiveAsync(new byte[1024], System.Net.Sockets.SocketFlags.None).WaitAsync(s_timeout);
            connection.Shutdown(System.Net.Sockets.SocketShutdown.Both);
        });

        var (exitCode, output, error) = await RunAsync("subscribe", "127.0.0.1", port, "100");
        log.WriteLine(error.Text);
        await hangUp.WaitAsync(s_timeout);

        Assert.Equal(SocketsRoot.FailureExitCode, exitCode);
        var line = Assert.Single(error.Lines);
        Assert.StartsWith("subscribe: The connection has ended", line, StringComparison.Ordinal);
        Assert.Empty(output.Text);
    }

    [Fact]
    public async Task Publish_NobodyListening_Exit1ConnectionRefused()
    {
        // Bind a port and close it again: nothing listens there now.
        int port;
        using (var probe = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((System.Net.IPEndPoint)probe.LocalEndpoint).Port;
        }
        var (exitCode, _, error) = await RunAsync("publish", "127.0.0.1", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "t", "x");

        Assert.Equal(SocketsRoot.FailureExitCode, exitCode);
        Assert.Contains("connection refused", error.Text, StringComparison.Ordinal);
    }
}
