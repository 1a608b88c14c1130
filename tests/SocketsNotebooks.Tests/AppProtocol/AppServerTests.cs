using System.Diagnostics;
using System.Text;
using SocketsNotebooks.AppProtocol;
using SocketsNotebooks.Network;
using SocketsNotebooks.Tracing;
using Xunit.Abstractions;
using Trace = SocketsNotebooks.Tracing.Trace;

namespace SocketsNotebooks.Tests.AppProtocol;

public sealed class AppServerTests(ITestOutputHelper output)
{
    private static readonly AppClientOptions s_client = new() { Timeout = TimeSpan.FromSeconds(15) };
    private static readonly TimeSpan s_recordWait = TimeSpan.FromSeconds(5);

    [Fact]
    public void Search_Morpheus_AnswersTheRabbit()
    {
        var trace = new Trace();
        var server = AppServer.Start(trace, name: nameof(Search_Morpheus_AnswersTheRabbit));
        try
        {
            var exchange = AppClient.Search(server.EndPoint, "morpheus", trace, s_client);

            Assert.Equal(CloseReason.Answered, exchange.Outcome);
            Assert.Equal("Follow the white rabbit. 🐰", exchange.Result);
            // The server records the close just after its last send, so it may trail the client by a moment.
            Assert.True(SpinWait.SpinUntil(() => server.Closed.Any(c => c.Conn == exchange.Conn && c.Reason == CloseReason.Answered), s_recordWait));
        }
        finally
        {
            server.Stop();
        }
    }

    [Fact]
    public void Closed_MoreConnectionsThanMaxClosedRecords_KeepsTheNewestAndCountsAll()
    {
        var trace = new Trace();
        var server = AppServer.Start(trace, new AppServerOptions { MaxClosedRecords = 3 }, nameof(Closed_MoreConnectionsThanMaxClosedRecords_KeepsTheNewestAndCountsAll));
        try
        {
            var exchanges = Enumerable.Range(0, 7).Select(_ => AppClient.Search(server.EndPoint, "ring", trace, s_client)).ToArray();

            // Each close is recorded just after the server's last send: wait for the last one.
            Assert.True(SpinWait.SpinUntil(() => server.Answered == 7, s_recordWait), $"server answered {server.Answered}");
            Assert.Equal(exchanges[^3..].Select(e => e.Conn), server.Closed.Select(c => c.Conn));
        }
        finally
        {
            server.Stop();
        }
    }

    [Fact]
    public void Server_PythonRequestBytes_AnswersWithPythonResponseBytes()
    {
        if (!BitConverter.IsLittleEndian)
        {
            return; // The golden response says byteorder little: the Python server ran on a little-endian machine.
        }
        var trace = new Trace();
        var server = AppServer.Start(trace, name: nameof(Server_PythonRequestBytes_AnswersWithPythonResponseBytes));
        try
        {
            var exchange = AppClient.SendRaw(server.EndPoint, GoldenBytes.MorpheusRequest, trace, s_client);

            Assert.Equal(GoldenBytes.MorpheusResponse, exchange.Response!.ToBytes());
        }
        finally
        {
            server.Stop();
        }
    }

    [Theory]
    [InlineData("binary", "x", "First 10 bytes of request: binaryx")]
    [InlineData("", "", "First 10 bytes of request: ")]
    public void Request_Binary_AnswersFirstTenBytes(string action, string value, string expected)
    {
        var trace = new Trace();
        var server = AppServer.Start(trace, name: nameof(Request_Binary_AnswersFirstTenBytes) + action);
        try
        {
            var exchange = AppClient.Request(server.EndPoint, action, value, trace, s_client);

            Assert.Equal(Message.ServerBinaryType, exchange.Response!.Header.ContentType);
            Assert.Equal(expected, Encoding.UTF8.GetString(exchange.Response.Content.Span));
        }
        finally
        {
            server.Stop();
        }
    }

    [Fact]
    public void Server_EmptyJsonContent_Answered()
    {
        var trace = new Trace();
        var server = AppServer.Start(trace, name: nameof(Server_EmptyJsonContent_Answered));
        try
        {
            var exchange = AppClient.Send(server.EndPoint, Message.Create([], "text/json", "utf-8"), trace, s_client);

            Assert.Equal("Error: empty request.", exchange.Result);
        }
        finally
        {
            server.Stop();
        }
    }

    [Fact]
    public void Relay_200ConcurrentClientsInOneBytePieces_AllAnsweredCorrectly()
    {
        var trace = new Trace();
        var server = AppServer.Start(trace, name: nameof(Relay_200ConcurrentClientsInOneBytePieces_AllAnsweredCorrectly));
        var relay = Relay.Start(server.EndPoint, Pieces.Fixed(1), trace, delay: TimeSpan.Zero,
            name: nameof(Relay_200ConcurrentClientsInOneBytePieces_AllAnsweredCorrectly) + "-relay");
        try
        {
            string[] values = [.. Enumerable.Range(0, 200).Select(i => (i % 4) switch { 0 => "morpheus", 1 => "ring", 2 => "🐶", _ => $"word{i}🐰" })];
            var watch = Stopwatch.StartNew();

            var exchanges = AppClient.SendMany(relay.EndPoint, [.. values.Select(v => AppClient.JsonRequest("search", v).ToBytes())], trace,
                s_client with { Timeout = TimeSpan.FromSeconds(60) });

            output.WriteLine($"200 clients through a 1-byte relay: {watch.ElapsedMilliseconds} ms, {trace.Recvs(Side.Server).Count} server recvs");
            for (int i = 0; i < values.Length; i++)
            {
                string expected = new SearchApp().Search(values[i]);
                Assert.True(expected == exchanges[i].Result, $"client {i}: {exchanges[i]}");
            }
            // The relay really cut the requests: every server recv carried a single byte.
            Assert.All(trace.Recvs(Side.Server).Where(r => r.Moved > 0), r => Assert.Equal(1, r.Moved));
            Assert.True(SpinWait.SpinUntil(() => server.Answered == 200, s_recordWait), $"server answered {server.Answered}");
        }
        finally
        {
            relay.Stop();
            server.Stop();
        }
    }

    [Fact]
    public void Server_BadClientsAmongGood_ClosesOnlyTheBadOnes()
    {
        var trace = new Trace();
        var limits = new MessageLimits { IdleTimeout = TimeSpan.FromMilliseconds(300) };
        var server = AppServer.Start(trace, limits, name: nameof(Server_BadClientsAmongGood_ClosesOnlyTheBadOnes));
        try
        {
            byte[] good = AppClient.JsonRequest("search", "ring").ToBytes();
            var bad = new Dictionary<ProtocolError, byte[]>
            {
                [ProtocolError.ContentTooLong] = GoldenBytes.Frame(
                    """{"byteorder": "little", "content-type": "binary/x", "content-encoding": "binary", "content-length": 2147483648}""", "abc"),
                [ProtocolError.InvalidJson] = GoldenBytes.Frame("""{"byteorder": "little", "content-type": """, "abc"),
                [ProtocolError.MissingKey] = GoldenBytes.Frame("""{"byteorder": "little", "content-type": "text/json"}""", "abc"),
                [ProtocolError.InvalidContent] = GoldenBytes.Frame(
                    """{"byteorder": "little", "content-type": "text/json", "content-encoding": "utf-8", "content-length": 5}""", "[1,2]"),
                // A stalled sender: half a message, then silence.
                [ProtocolError.IdleTimeout] = good[..50],
            };
            byte[][] requests = [.. Enumerable.Repeat(good, 20), .. bad.Values, .. Enumerable.Repeat(good, 20)];

            var exchanges = AppClient.SendMany(server.EndPoint, requests, trace, s_client);

            Assert.All(exchanges.Take(20).Concat(exchanges.Skip(20 + bad.Count)),
                e => Assert.Equal("In the caves beneath the Misty Mountains. 💍", e.Result));
            var refused = exchanges.Skip(20).Take(bad.Count).ToArray();
            Assert.All(refused, e => Assert.False(e.Answered, e.ToString()));
            foreach (var (error, exchange) in bad.Keys.Zip(refused))
            {
                var closed = Assert.Single(server.Closed, c => c.Conn == exchange.Conn);
                Assert.Equal(CloseReason.ProtocolError, closed.Reason);
                Assert.Equal(error, closed.Error);
                Assert.Contains(trace.Events, e => e.Conn == exchange.Conn && e.Side == Side.Server && e.Kind == TraceKind.Error && e.Note.StartsWith($"ProtocolError: {error}: ", StringComparison.Ordinal));
                output.WriteLine($"{error}: {closed.Detail}");
            }
            Assert.True(server.IsRunning);
            Assert.Equal("Follow the white rabbit. 🐰", AppClient.Search(server.EndPoint, "morpheus", trace, s_client).Result);
        }
        finally
        {
            server.Stop();
        }
    }

    [Fact]
    public void Server_ActionThatThrows_ClosesOnlyThatConnection()
    {
        var trace = new Trace();
        var server = AppServer.Start(trace, name: nameof(Server_ActionThatThrows_ClosesOnlyThatConnection));
        try
        {
            server.App.Actions["boom"] = _ => throw new InvalidOperationException("kaboom");

            var failed = AppClient.Send(server.EndPoint, AppClient.JsonRequest("boom", "x"), trace, s_client);
            var fine = AppClient.Search(server.EndPoint, "🐶", trace, s_client);

            Assert.False(failed.Answered);
            Assert.Contains(server.Closed, c => c.Conn == failed.Conn && c.Reason == CloseReason.AppError && c.Detail.Contains("kaboom"));
            Assert.Equal("🐾 Playing ball! 🏐", fine.Result);
        }
        finally
        {
            server.Stop();
        }
    }

    [Fact]
    public async Task Server_ActionThrowsWhileAnotherRequestIsHalfSent_TheOtherIsStillAnswered()
    {
        var trace = new Trace();
        var server = AppServer.Start(trace, name: nameof(Server_ActionThrowsWhileAnotherRequestIsHalfSent_TheOtherIsStillAnswered));
        try
        {
            server.App.Actions["boom"] = _ => throw new InvalidOperationException("kaboom");
            byte[] request = AppClient.JsonRequest("search", "morpheus").ToBytes();
            using var waiting = TracedSocket.Tcp(trace, Side.Client);
            waiting.Connect(server.EndPoint);
            waiting.Socket.ReceiveTimeout = 5000;
            waiting.SendAll(request.AsSpan(0, request.Length / 2));

            var failed = AppClient.Send(server.EndPoint, AppClient.JsonRequest("boom", "x"), trace, s_client);
            waiting.SendAll(request.AsSpan(request.Length / 2));
            var decoder = new MessageDecoder();
            var buffer = new byte[4096];
            Message? response;
            while (!decoder.TryReadMessage(out response))
            {
                int received = waiting.Receive(buffer);
                Assert.True(received > 0, "the server closed the waiting connection without answering");
                decoder.Feed(buffer.AsSpan(0, received));
            }

            Assert.False(failed.Answered);
            Assert.Contains(server.Closed, c => c.Conn == failed.Conn && c.Reason == CloseReason.AppError && c.Detail.Contains("kaboom"));
            Assert.Contains("Follow the white rabbit.", Encoding.UTF8.GetString(response!.Content.Span));
            await trace.WaitForAsync(e => e.Conn == waiting.Conn && e.Side == Side.Server && e.Kind == TraceKind.Close && e.Note == nameof(CloseReason.Answered), s_recordWait);
            Assert.True(server.IsRunning);
            Assert.Null(server.Failure);
        }
        finally
        {
            server.Stop();
        }
    }

    [Fact]
    public async Task Server_LogThrowsInAcceptWrapper_ClosesOnlyThatConnection()
    {
        var trace = new Trace();
        int accepted = 0;
        var options = new AppServerOptions
        {
            // A log callback that fails once, while the first connection is being accepted.
            Log = line =>
            {
                if (line.StartsWith("Accepted", StringComparison.Ordinal) && Interlocked.Increment(ref accepted) == 1)
                {
                    throw new InvalidOperationException("log sink full");
                }
            },
        };
        var server = AppServer.Start(trace, options, nameof(Server_LogThrowsInAcceptWrapper_ClosesOnlyThatConnection));
        try
        {
            var first = AppClient.Search(server.EndPoint, "morpheus", trace, s_client);
            var second = AppClient.Search(server.EndPoint, "morpheus", trace, s_client);

            Assert.False(first.Answered);
            Assert.Equal("Follow the white rabbit. 🐰", second.Result);
            await trace.WaitForAsync(e => e.Conn == first.Conn && e.Side == Side.Server && e.Kind == TraceKind.Error && e.Note.Contains("log sink full"), s_recordWait);
            Assert.True(server.IsRunning);
            Assert.Null(server.Failure);
        }
        finally
        {
            server.Stop();
        }
    }

    [Fact]
    public void Server_RecvsThroughRelay_AnatomyAddsUpToTheRequest()
    {
        var trace = new Trace();
        var server = AppServer.Start(trace, name: nameof(Server_RecvsThroughRelay_AnatomyAddsUpToTheRequest));
        var relay = Relay.Start(server.EndPoint, Pieces.Fixed(16), trace, name: nameof(Server_RecvsThroughRelay_AnatomyAddsUpToTheRequest) + "-relay");
        try
        {
            var exchange = AppClient.Search(relay.EndPoint, "morpheus", trace, s_client);

            var rows = server.Anatomy.Where(r => r.Conn == exchange.Conn).ToArray();
            Assert.Equal((2, 103, 41), (rows.Sum(r => r.ProtoHeader), rows.Sum(r => r.JsonHeader), rows.Sum(r => r.Content)));
            Assert.Equal(10, rows.Length); // 146 bytes in 16-byte pieces
            Assert.True(rows[^1].Complete);
            Assert.Equal(new RecvAnatomy(exchange.Conn, Side.Server, 1, 2, 14, 0, false, "JsonHeader: 14 of 103 bytes"), rows[0]);
        }
        finally
        {
            relay.Stop();
            server.Stop();
        }
    }

    [Fact]
    public void RunLoad_ShortRun_KeepsConnectionsInFlightAndAllAreAnswered()
    {
        var trace = new Trace();
        var server = AppServer.Start(trace, name: nameof(RunLoad_ShortRun_KeepsConnectionsInFlightAndAllAreAnswered));
        try
        {
            var exchanges = new List<AppExchange>();

            AppClient.RunLoad(server.EndPoint, AppClient.JsonRequest("search", "ring").ToBytes(), connections: 4,
                TimeSpan.FromMilliseconds(300), trace, exchanges.Add, s_client);

            output.WriteLine($"{exchanges.Count} exchanges in 300 ms with 4 in flight");
            Assert.True(exchanges.Count > 4, $"only {exchanges.Count} exchanges");
            Assert.All(exchanges, e => Assert.Equal("In the caves beneath the Misty Mountains. 💍", e.Result));
            Assert.Equal(exchanges.Count, exchanges.Select(e => e.Conn).Distinct().Count());
        }
        finally
        {
            server.Stop();
        }
    }

    [Fact]
    public async Task Stop_WithOpenConnection_RecordsStopped()
    {
        var trace = new Trace();
        var server = AppServer.Start(trace, name: nameof(Stop_WithOpenConnection_RecordsStopped));
        var client = TracedSocket.Tcp(trace, Side.Client);
        try
        {
            client.Connect(server.EndPoint);
            await trace.WaitForAsync(e => e.Kind == TraceKind.Accept, TimeSpan.FromSeconds(5));

            server.Stop();

            Assert.False(server.IsRunning);
            Assert.Contains(server.Closed, c => c.Reason == CloseReason.Stopped);
        }
        finally
        {
            client.Close();
            server.Stop();
        }
    }
}
