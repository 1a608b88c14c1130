using SocketsNotebooks.Echo;
using SocketsNotebooks.Tracing;

namespace SocketsNotebooks.Tests.Echo;

public sealed class EchoExercisesTests
{
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
    public void CheckPieceSizePrediction_NothingRunYet_SaysToRunTheCell()
    {
        Assert.Contains("run the cell", EchoExercises.CheckPieceSizePrediction(4, 10, 3, []));
    }
}
