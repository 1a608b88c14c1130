using SocketsNotebooks.Network;
using SocketsNotebooks.Tracing;

namespace SocketsNotebooks.Echo;

/// <summary>The checks behind the "try this" cells of the echo notebook: each says ✅ or ❌ and why.</summary>
public static partial class EchoExercises
{
    /// <summary>
    /// Checks a prediction of how many <c>recv()</c> calls return data when a message of
    /// <paramref name="messageLength"/> bytes goes through a relay cutting pieces of
    /// <paramref name="pieceSize"/> bytes, against the server's recorded <paramref name="serverRecvs"/>.
    /// Other events may come along (<c>trace.Events</c>): only the server's <c>recv()</c> calls are
    /// counted, and a note of the relay's saying it stopped pacing explains a count that is off.
    /// A prediction of 0 or less (the cell's default) is not judged: the learner is asked for one first.
    /// </summary>
    public static string CheckPieceSizePrediction(int predicted, int messageLength, int pieceSize, IEnumerable<TraceEvent> serverRecvs)
    {
        ArgumentNullException.ThrowIfNull(serverRecvs);
        ArgumentOutOfRangeException.ThrowIfLessThan(pieceSize, 1, nameof(pieceSize));
        var events = serverRecvs.ToArray();
        var recvs = events.Where(e => e.Kind == TraceKind.Recv && e.Side == Side.Server).ToArray();
        var pacingNote = events.FirstOrDefault(e => e.Side.IsRelay() && e.Kind == TraceKind.Error
            && e.Note.StartsWith(Relay.PacingNotePrefix, StringComparison.Ordinal));
        if (predicted <= 0)
        {
            // The committed cell says 0: judging it would print the answer before the learner thought about it.
            return "❌ Enter your prediction first: set myPrediction to the number of the server's recv() calls you expect "
                + "to return data (at least 1), run that cell again, then this one.";
        }
        int withData = recvs.Count(e => e.Moved > 0);
        int expected = (messageLength + pieceSize - 1) / pieceSize;
        int leftOver = messageLength % pieceSize;
        string why = $"{messageLength} bytes in pieces of {pieceSize} make {messageLength / pieceSize} full piece(s)"
            + (leftOver > 0 ? $" and one of {leftOver}" : "") + $" = {expected}";

        if (recvs.Length == 0)
        {
            return "❌ No recv() calls in the trace yet: run the cell above first (it sends the message through the relay).";
        }
        if (withData != expected && pacingNote is not null)
        {
            // Not the learner's mistake: the relay could not wait for each recv() this time.
            return $"❌ The server's recv() returned data {withData} times, but {why} were expected, and the relay "
                + $"left a note in the trace saying why: \"{pacingNote.Note}\". Run the cell above again, then this check; "
                + "your prediction can only be judged on a run where every piece got its own recv().";
        }
        if (withData != expected)
        {
            return $"❌ The server's recv() returned data {withData} times, but {why} were expected. "
                + "Did the relay in the run use the same piece size and message? If it did, look for a note starting "
                + $"\"{Relay.PacingNotePrefix}\" in trace.Table(Side.RelayToServer) (the relay's leg facing the server): on a busy machine the relay may stop waiting "
                + "for each recv(), and pieces then arrive glued together.";
        }
        if (predicted == withData)
        {
            return $"✅ Right: {withData} recv() calls returned data ({why}). "
                + $"The server's code did not change; only the network cut the stream differently.";
        }
        if (predicted == recvs.Length && recvs.Length == withData + 1)
        {
            return $"❌ Close: {predicted} counts the last recv() too, which returned 0 bytes: that is the client "
                + $"closing (FIN), not data. Calls that returned data: {withData} ({why}).";
        }
        return $"❌ You predicted {predicted}; the server's recv() returned data {withData} times: {why}. "
            + "Each piece the relay sends is read by its own recv(), because the relay waits for it.";
    }

    /// <summary>
    /// The same check, reading the server's <c>recv()</c> calls and any note of the relay's straight
    /// from <paramref name="trace"/>.
    /// </summary>
    public static string CheckPieceSizePrediction(int predicted, int messageLength, int pieceSize, Trace trace)
    {
        ArgumentNullException.ThrowIfNull(trace);
        return CheckPieceSizePrediction(predicted, messageLength, pieceSize, trace.Events);
    }
}
