using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using SocketsNotebooks.AppProtocol;
using SocketsNotebooks.PubSub;
using Xunit.Abstractions;

namespace SocketsNotebooks.Cli.Tests.Servers;

/// <summary>
/// A server that runs out of file descriptors before its first request (issue 10, defect 1): the
/// server runs in a child process under a low <c>ulimit -n</c>, idle connections use up its
/// descriptors, and then a request must still be answered, and answered again once they are gone.
/// </summary>
public sealed class DescriptorExhaustionTests(ITestOutputHelper log)
{
    // The CLI starts with about 60 descriptors open (one per loaded assembly, pipes, the listener) and
    // keeps 64 for the runtime: 192 leaves room for a few dozen connections, and 200 idle ones are far
    // more than that.
    private const int DescriptorLimit = 192;
    private const int IdleConnections = 200;
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(30);

    public static TheoryData<string> Servers => ["app-server", "pubsub-broker"];

    [Theory]
    [MemberData(nameof(Servers))]
    public async Task Server_OutOfDescriptorsBeforeFirstRequest_AnswersThenAndAfterRecovery(string command)
    {
        if (!OperatingSystem.IsLinux())
        {
            return; // ulimit and /bin/sh: the test is about the Linux behaviour the issue measured.
        }
        await using var server = await ChildServer.StartAsync(DescriptorLimit, s_wait, command, "127.0.0.1", "0");
        var endPoint = new IPEndPoint(IPAddress.Loopback, server.Port);
        var idle = new List<Socket>();
        try
        {
            using var first = Connect(endPoint);
            await server.Output.WaitForLineAsync(l => l.StartsWith("Accepted connection from", StringComparison.Ordinal) && MentionsPort(l, first), s_wait);
            for (int i = 0; i < IdleConnections; i++)
            {
                idle.Add(Connect(endPoint));
            }
            var clock = Stopwatch.StartNew();
            // The connection cap turns the rest away long before accept() could fail with EMFILE.
            await server.Output.WaitForLineAsync(AtTheLimit, s_wait);

            // The server is at its limit now; the request on the connection it already has must be answered.
            Assert.True(Exchange(first, command), $"no answer at the limit:\n{Tail(server)}");

            await CloseAndWaitForServerAsync(server, idle);
            int limitLines = server.Output.Lines.Count(AtTheLimit);
            log.WriteLine($"{limitLines} line(s) about the limit in {clock.Elapsed.TotalSeconds:0.0} s");
            // Once a second with a count, not once per connection turned away.
            Assert.InRange(limitLines, 1, (int)clock.Elapsed.TotalSeconds + 2);

            for (int i = 0; i < 3; i++)
            {
                using var fresh = Connect(endPoint);
                Assert.True(Exchange(fresh, command), $"no answer after recovery:\n{Tail(server)}");
            }
        }
        finally
        {
            idle.ForEach(s => s.Dispose());
        }
    }

    /// <summary>
    /// The attack that aborted the process (issue 10, "Out of memory.", SIGABRT, exit 134): idle
    /// connections past the descriptor limit before any request, then requests while the server is at
    /// its limit, the first ones to run that code. The runtime started a thread then (the
    /// tiered-compilation worker), the thread found no descriptor for its pipe, and the runtime aborted.
    /// The tiering delay is cut to 0 here so methods tier up, and that thread starts, while the
    /// server is at its limit. The server must live through it and answer every request afterwards.
    /// </summary>
    [Theory]
    [InlineData("multiconn-server")]
    [InlineData("app-server")]
    public async Task Server_RequestsWhileIdleConnectionsPassTheLimit_StaysUpAndAnswersEveryRequestAfter(string command)
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }
        const int limit = 256, idleCount = 400, probes = 20, requests = 100;
        await using var server = await ChildServer.StartAsync(limit, s_wait,
            [new("DOTNET_TC_CallCountingDelayMs", "0")], command, "127.0.0.1", "0");
        var endPoint = new IPEndPoint(IPAddress.Loopback, server.Port);
        var idle = new List<Socket>();
        try
        {
            for (int i = 0; i < idleCount; i++)
            {
                idle.Add(Connect(endPoint));
            }
            await server.Output.WaitForLineAsync(AtTheLimit, s_wait);
            // At the limit: each request is turned away at once (or, where a slot is free, answered); none waits.
            int answeredAtLimit = 0;
            for (int i = 0; i < probes; i++)
            {
                // A short wait: a request turned away hears it at once; one left waiting fails in a second.
                using var probe = Connect(endPoint, receiveTimeoutMs: 1000);
                answeredAtLimit += Exchange(probe, command) ? 1 : 0;
            }
            log.WriteLine($"{answeredAtLimit} of {probes} requests answered at the limit");
            Assert.True(server.ExitCode is null, $"the server died at its limit with exit code {server.ExitCode}:\n{Tail(server)}");

            await CloseAndWaitForServerAsync(server, idle);
            int answered = 0;
            for (int i = 0; i < requests; i++)
            {
                using var fresh = Connect(endPoint);
                answered += Exchange(fresh, command) ? 1 : 0;
            }
            Assert.True(server.ExitCode is null, $"the server died with exit code {server.ExitCode}:\n{Tail(server)}");
            Assert.Equal(requests, answered);
        }
        finally
        {
            idle.ForEach(s => s.Dispose());
        }
    }

    // Closes the idle connections and waits until the server has closed its side of every one it held
    // (those it turned away at the limit it never registered), so its descriptors are free again.
    private static async Task CloseAndWaitForServerAsync(ChildServer server, List<Socket> idle)
    {
        int[] ports = [.. idle.Select(s => ((IPEndPoint)s.LocalEndPoint!).Port)];
        foreach (var socket in idle)
        {
            socket.Close();
        }
        var held = ports.Where(port => server.Output.Lines.Any(l => l.StartsWith("Accepted connection from", StringComparison.Ordinal) && MentionsPort(l, port)));
        foreach (int port in held)
        {
            await server.Output.WaitForLineAsync(l => l.StartsWith("Closing connection to", StringComparison.Ordinal) && MentionsPort(l, port), s_wait);
        }
    }

    private static bool AtTheLimit(string line) =>
        line.Contains("at the connection limit", StringComparison.Ordinal) || line.StartsWith("accept() failed", StringComparison.Ordinal);

    private static Socket Connect(IPEndPoint endPoint, int receiveTimeoutMs = 10_000)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveTimeout = receiveTimeoutMs };
        socket.Connect(endPoint);
        return socket;
    }

    // One request and its answer: a search on the application server, a subscribe on the broker,
    // an echo (then FIN) on the multi-connection server.
    private static bool Exchange(Socket socket, string command)
    {
        if (command == "multiconn-server")
        {
            return Echo(socket);
        }
        byte[] request = command == "app-server"
            ? Message.Json(new JsonObject { ["action"] = "search", ["value"] = "morpheus" }).ToBytes()
            : PubSubCommand.Subscribe("weather").ToBytes();
        socket.Send(request);
        var decoder = new MessageDecoder();
        var buffer = new byte[4096];
        try
        {
            while (true)
            {
                int received = socket.Receive(buffer);
                if (received == 0)
                {
                    return false;
                }
                decoder.Feed(buffer.AsSpan(0, received));
                if (decoder.TryReadMessage(out var answer))
                {
                    return command == "app-server"
                        ? answer.JsonString("result") == "Follow the white rabbit. 🐰"
                        : PubSubCommand.TryParse(answer, out var reply, out _) && reply.Verb == PubSubVerb.Subscribed;
                }
            }
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static bool Echo(Socket socket)
    {
        byte[] hello = "hello"u8.ToArray();
        var echoed = new List<byte>();
        var buffer = new byte[64];
        try
        {
            socket.Send(hello);
            socket.Shutdown(SocketShutdown.Send);
            int received;
            while ((received = socket.Receive(buffer)) > 0)
            {
                echoed.AddRange(buffer.AsSpan(0, received));
            }
        }
        catch (SocketException)
        {
            return false;
        }
        return echoed.SequenceEqual(hello);
    }

    private static bool MentionsPort(string line, Socket socket) => MentionsPort(line, ((IPEndPoint)socket.LocalEndPoint!).Port);

    // ('127.0.0.1', 50098) or 127.0.0.1:50098
    private static bool MentionsPort(string line, int port) =>
        line.Contains($", {port})", StringComparison.Ordinal) || line.Contains($":{port}", StringComparison.Ordinal);

    private static string Tail(ChildServer server) => string.Join('\n', server.Output.Lines.TakeLast(15));
}
