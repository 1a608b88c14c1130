using System.CommandLine;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Xunit.Abstractions;

namespace SocketsNotebooks.Cli.Tests;

public sealed class ClientCommandTests(ITestOutputHelper log)
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(10);

    // A client command built on the skeleton: connects a plain socket, then waits for one byte within the limit.
    private static RootCommand Root(TimeSpan limit, Func<Socket, ClientRun, Task<int>> run)
    {
        var host = CliArguments.Host("server address");
        var port = CliArguments.Port("server port");
        var command = new Command("probe-client", "test client") { host, port };
        command.SetAction((parsed, cancellationToken) => ClientCommand.RunAsync(parsed, host, port,
            connect: async (endPoint, timeLimit) =>
            {
                var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
                await socket.ConnectAsync(endPoint, timeLimit);
                return socket;
            },
            run, cancellationToken, limit));
        return SocketsRoot.Create([command]);
    }

    private static async Task<(int ExitCode, LineWriter Output, LineWriter Error)> RunAsync(RootCommand root, int port)
    {
        var output = new LineWriter();
        var error = new LineWriter();
        int exitCode = await SocketsRoot.InvokeAsync(root, ["probe-client", "127.0.0.1", port.ToString(CultureInfo.InvariantCulture)], output, error, handleCtrlC: false)
            .WaitAsync(s_timeout);
        return (exitCode, output, error);
    }

    private static Socket Listener()
    {
        var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen();
        return listener;
    }

    [Fact]
    public async Task RunAsync_ServerNeverAnswers_OneLineNoAnswerWithinTheLimitExit1()
    {
        // The kernel completes the handshake from the backlog; nobody ever accepts or sends.
        using var listener = Listener();
        int port = ((IPEndPoint)listener.LocalEndPoint!).Port;
        var root = Root(TimeSpan.FromMilliseconds(300), async (socket, run) =>
        {
            await socket.ReceiveAsync(new byte[1], SocketFlags.None, run.TimeLimit);
            return 0;
        });

        var (exitCode, output, error) = await RunAsync(root, port);
        log.WriteLine(error.Text);

        Assert.Equal(SocketsRoot.FailureExitCode, exitCode);
        Assert.Equal([$"probe-client: no answer from 127.0.0.1:{port} within 0.3 s."], error.Lines);
        Assert.Empty(output.Text);
    }

    [Fact]
    public async Task RunAsync_NobodyListening_OneLineConnectionRefusedExit1()
    {
        int port;
        using (var probe = Listener())
        {
            port = ((IPEndPoint)probe.LocalEndPoint!).Port;
        }
        var root = Root(s_timeout, (_, _) => Task.FromResult(0));

        var (exitCode, _, error) = await RunAsync(root, port);

        Assert.Equal(SocketsRoot.FailureExitCode, exitCode);
        Assert.Equal([$"probe-client: connection refused: nobody is listening on 127.0.0.1:{port} (ECONNREFUSED). Is the server running?"], error.Lines);
    }

    [Fact]
    public async Task RunAsync_RunThrowsIOException_OneLineWithItsMessageExit1()
    {
        using var listener = Listener();
        var root = Root(s_timeout, (_, _) => throw new IOException("The server hung up before answering."));

        var (exitCode, _, error) = await RunAsync(root, ((IPEndPoint)listener.LocalEndPoint!).Port);

        Assert.Equal(SocketsRoot.FailureExitCode, exitCode);
        Assert.Equal(["probe-client: The server hung up before answering."], error.Lines);
    }

    [Fact]
    public async Task RunAsync_RunReturns_ConnectionClosedAndExitCodePassedOn()
    {
        using var listener = Listener();
        Socket? used = null;
        var root = Root(s_timeout, async (socket, run) =>
        {
            used = socket;
            await run.Output.WriteLineAsync("done");
            return 3;
        });

        var (exitCode, output, error) = await RunAsync(root, ((IPEndPoint)listener.LocalEndPoint!).Port);

        Assert.Equal(3, exitCode);
        Assert.Equal(["done"], output.Lines);
        Assert.Empty(error.Text);
        // Disposed by the skeleton: the accepted end reads the FIN.
        using var accepted = await listener.AcceptAsync().WaitAsync(s_timeout);
        Assert.Equal(0, await accepted.ReceiveAsync(new byte[1], SocketFlags.None).WaitAsync(s_timeout));
        Assert.Throws<ObjectDisposedException>(() => used!.Available);
    }
}
