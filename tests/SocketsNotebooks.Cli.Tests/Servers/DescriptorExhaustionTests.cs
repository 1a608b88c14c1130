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
    // The CLI starts with about 60 descriptors open (one per loaded assembly, pipes, the listener):
    // 128 leaves room for a few dozen connections, and 200 idle ones are far more than that.
    private const int DescriptorLimit = 128;
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
            await server.Output.WaitForLineAsync(l => l.StartsWith("accept() failed", StringComparison.Ordinal), s_wait);

            // The server is at its limit now; the request on the connection it already has must be answered.
            Assert.True(Exchange(first, command), $"no answer at the limit:\n{Tail(server)}");

            int[] ports = [.. idle.Select(s => ((IPEndPoint)s.LocalEndPoint!).Port)];
            foreach (var socket in idle)
            {
                socket.Close();
            }
            // Recovery: every idle connection closed on the server's side too (or was closed at once
            // when it was accepted at the limit), so the descriptors are free again.
            foreach (int port in ports)
            {
                await server.Output.WaitForLineAsync(l => l.StartsWith("Closing connection to", StringComparison.Ordinal) && MentionsPort(l, port), s_wait);
            }
            int failures = server.Output.Lines.Count(l => l.StartsWith("accept() failed", StringComparison.Ordinal));
            log.WriteLine($"{failures} 'accept() failed' line(s) in {clock.Elapsed.TotalSeconds:0.0} s");
            // Once a second with a count, not once per failed accept().
            Assert.InRange(failures, 1, (int)clock.Elapsed.TotalSeconds + 2);

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

    private static Socket Connect(IPEndPoint endPoint)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveTimeout = 10_000 };
        socket.Connect(endPoint);
        return socket;
    }

    // One request and its answer: a search on the application server, a subscribe on the broker.
    private static bool Exchange(Socket socket, string command)
    {
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

    private static bool MentionsPort(string line, Socket socket) => MentionsPort(line, ((IPEndPoint)socket.LocalEndPoint!).Port);

    // ('127.0.0.1', 50098) or 127.0.0.1:50098
    private static bool MentionsPort(string line, int port) =>
        line.Contains($", {port})", StringComparison.Ordinal) || line.Contains($":{port}", StringComparison.Ordinal);

    private static string Tail(ChildServer server) => string.Join('\n', server.Output.Lines.TakeLast(15));
}
