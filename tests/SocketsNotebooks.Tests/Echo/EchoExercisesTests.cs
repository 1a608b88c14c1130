using SocketsNotebooks.Echo;
using SocketsNotebooks.Network;
using SocketsNotebooks.Tracing;

namespace SocketsNotebooks.Tests.Echo;

public sealed class EchoExercisesTests
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(10);

    private static string Unique(string name) => $"{nameof(EchoExercisesTests)}-{name}-{Guid.NewGuid():N}";

    // The notebook's exercise, run for real: a message through a relay cutting pieces of 3.
    private static IReadOnlyList<TraceEvent> RunThroughRelay(byte[] message, int pieceSize)
    {
        var trace = new Trace();
        var echo = EchoServer.Start(trace, Unique("echo"));
        var relay = Relay.Start(echo.EndPoint, Pieces.Fixed(pieceSize), trace, name: Unique("relay"));
        try
        {
            EchoClient.Exchange(relay.EndPoint, message, trace);
            return trace.Recvs(Side.Server);
        }
        finally
        {
            relay.Stop();
            echo.Stop();
        }
    }

    [Fact]
    public void CheckPieceSizePrediction_ReferenceSolution_Passes()
    {
        var message = "Hello through the network in a box"u8.ToArray();
        var recvs = RunThroughRelay(message, pieceSize: 3);

        // Reference solution: every piece is read by its own recv(), so ceil(length / 3).
        int prediction = (message.Length + 2) / 3;

        Assert.StartsWith("✅", EchoExercises.CheckPieceSizePrediction(prediction, message.Length, 3, recvs));
    }

    [Fact]
    public void CheckPieceSizePrediction_WrongGuess_FailsWithTheArithmetic()
    {
        var recvs = RunThroughRelay("0123456789"u8.ToArray(), pieceSize: 3);

        string verdict = EchoExercises.CheckPieceSizePrediction(3, 10, 3, recvs);

        Assert.StartsWith("❌", verdict);
        Assert.Contains("4", verdict);
        Assert.Contains("one of 1", verdict);
    }

    [Fact]
    public void CheckPieceSizePrediction_CountedTheFin_ToldItIsNotData()
    {
        var recvs = RunThroughRelay("0123456789"u8.ToArray(), pieceSize: 3);

        string verdict = EchoExercises.CheckPieceSizePrediction(5, 10, 3, recvs);

        Assert.StartsWith("❌ Close", verdict);
        Assert.Contains("FIN", verdict);
    }

    [Fact]
    public void CheckPieceSizePrediction_WholeTrace_CountsOnlyTheServersRecvs()
    {
        var message = "0123456789"u8.ToArray();
        var trace = new Trace();
        var echo = EchoServer.Start(trace, Unique("echo"));
        var relay = Relay.Start(echo.EndPoint, Pieces.Fixed(3), trace, name: Unique("relay"));
        try
        {
            EchoClient.Exchange(relay.EndPoint, message, trace);

            // The client's and the relay's recv() calls are in the trace too; they must not count.
            Assert.StartsWith("✅", EchoExercises.CheckPieceSizePrediction(4, message.Length, 3, trace));
        }
        finally
        {
            relay.Stop();
            echo.Stop();
        }
    }

    [Fact]
    public async Task CheckPieceSizePrediction_ServerBusyAndPacingGaveUp_VerdictQuotesTheRelaysNote()
    {
        var message = "0123456789"u8.ToArray();
        var trace = new Trace();
        var echo = EchoServer.Start(trace, Unique("echo"));
        var relay = Relay.Start(echo.EndPoint, Pieces.Fixed(3), trace, name: Unique("relay"));
        relay.PaceTimeout = TimeSpan.FromMilliseconds(200);
        // The tutorial's server serves one client at a time: while this one is connected, the
        // relay's connection waits unaccepted and the relay cannot see the server read.
        var busy = EchoClient.Connect(echo.EndPoint, trace);
        try
        {
            await trace.WaitForAsync(e => e.Side == Side.Server && e.Kind == TraceKind.Accept && e.Conn == busy.Conn, s_wait);
            var exchange = Task.Run(() => EchoClient.Exchange(relay.EndPoint, message, trace));
            int pieces = 0;
            await trace.WaitForAsync(e => e.Side == Side.RelayToServer && e.Kind == TraceKind.Send && ++pieces == 4, s_wait);
            busy.Close();
            Assert.Equal(message, await exchange.WaitAsync(s_wait));

            string verdict = EchoExercises.CheckPieceSizePrediction(4, message.Length, 3, trace);

            Assert.StartsWith("❌", verdict);
            Assert.Contains("relay pacing: no call of the server's", verdict);
        }
        finally
        {
            busy.Close();
            relay.Stop();
            echo.Stop();
        }
    }

    [Fact]
    public void CheckPieceSizePrediction_CountOffAndOnlyServerRecvsGiven_PointsAtTheRelaysNote()
    {
        var trace = new Trace();
        trace.Record(1, Side.Server, TraceKind.Recv, 1024, 10);
        trace.Record(1, Side.Server, TraceKind.Recv, 1024, 0);

        string verdict = EchoExercises.CheckPieceSizePrediction(4, 10, 3, trace.Recvs(Side.Server));

        Assert.StartsWith("❌", verdict);
        Assert.Contains("\"relay pacing\" in trace.Table(Side.RelayToServer)", verdict);
    }

    [Fact]
    public void CheckPieceSizePrediction_NothingRunYet_SaysToRunTheCell()
    {
        Assert.Contains("run the cell", EchoExercises.CheckPieceSizePrediction(4, 10, 3, []));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void CheckPieceSizePrediction_DefaultOrBlank_AsksForAPredictionWithoutTheAnswer(int prediction)
    {
        var recvs = RunThroughRelay("0123456789"u8.ToArray(), pieceSize: 3);

        string verdict = EchoExercises.CheckPieceSizePrediction(prediction, 10, 3, recvs);

        Assert.StartsWith("❌ Enter your prediction first", verdict);
        Assert.DoesNotContain("4", verdict);
    }

    // ---- ReceiveExactly ---------------------------------------------------------------------

    private static readonly TimeSpan s_callLimit = TimeSpan.FromSeconds(10);

    [Fact]
    public void CheckReceiveExactly_ReferenceSolution_PassesEveryCut()
    {
        string verdict = EchoExercises.CheckReceiveExactly(EchoExercises.ReferenceReceiveExactly, callTimeout: s_callLimit);

        Assert.StartsWith("✅", verdict);
    }

    [Fact]
    public void CheckReceiveExactly_NotWrittenYet_SaysSo()
    {
        string verdict = EchoExercises.CheckReceiveExactly((_, _) => throw new NotImplementedException(), callTimeout: s_callLimit);

        Assert.StartsWith("❌ ReceiveExactly is not written yet", verdict);
    }

    [Fact]
    public void CheckReceiveExactly_OneRecv_FailsNamingTheCutAndWhatCame()
    {
        // The committed cell: one recv() and hope.
        string verdict = EchoExercises.CheckReceiveExactly((socket, n) => socket.Receive(n), callTimeout: s_callLimit);

        Assert.StartsWith("❌ Cut 1: you asked for 34 bytes and got", verdict);
        Assert.Contains("your one recv() got", verdict);
    }

    [Fact]
    public void CheckReceiveExactly_ReadsWholeBuffersPastN_FailsSayingTheNextBytesWereTaken()
    {
        string verdict = EchoExercises.CheckReceiveExactly((socket, n) =>
        {
            var all = new List<byte>();
            while (all.Count < n)
            {
                all.AddRange(socket.Receive(1024));
            }
            return [.. all.Take(n)];
        }, callTimeout: s_callLimit);

        Assert.StartsWith("❌ Cut", verdict);
        Assert.Contains("b'NEXT'", verdict);
    }

    [Fact]
    public void CheckReceiveExactly_LoopIgnoresTheFin_FailsSayingRecvReturnsZero()
    {
        string verdict = EchoExercises.CheckReceiveExactly((socket, n) =>
        {
            var data = new byte[n];
            int got = 0;
            while (got < n)
            {
                got += socket.Receive(data.AsSpan(got));
            }
            return data;
        }, callTimeout: TimeSpan.FromSeconds(2));

        Assert.StartsWith("❌ Every cut worked", verdict);
        Assert.Contains("returns 0 bytes", verdict);
    }

    [Fact]
    public void CheckReceiveExactly_ReturnsShortMessageOnFin_FailsSayingThrow()
    {
        string verdict = EchoExercises.CheckReceiveExactly((socket, n) =>
        {
            var data = new List<byte>();
            byte[] piece;
            while (data.Count < n && (piece = socket.Receive(n - data.Count)).Length > 0)
            {
                data.AddRange(piece);
            }
            return [.. data];
        }, callTimeout: s_callLimit);

        Assert.StartsWith("❌ Every cut worked", verdict);
        Assert.Contains("throw", verdict);
    }
}
