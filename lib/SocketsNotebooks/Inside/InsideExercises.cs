using SocketsNotebooks.Troubleshooting;

namespace SocketsNotebooks.Inside;

/// <summary>The check behind notebook 07's "try this" cell: it says ✅ or ❌ and why.</summary>
public static class InsideExercises
{
    /// <summary>
    /// Checks the number (the # column) of the segment the learner thinks closed the window in
    /// <paramref name="run"/>'s ladder: the first segment that advertised a window of 0. A 0 is "no answer yet".
    /// </summary>
    public static string CheckWindowClosed(LadderRun run, int segmentNo)
    {
        ArgumentNullException.ThrowIfNull(run);
        var ladder = run.Ladder;
        if (ladder.WindowClosed is not { } closed)
        {
            return "❌ This ladder has no segment with win 0: run the full-buffers cell again (the check reads the ladder you pass it).";
        }
        if (segmentNo == 0)
        {
            return "❌ Write your answer first: set windowClosedBy to the number (#) of the segment, from the ladder above.";
        }
        var rung = ladder.Rungs.FirstOrDefault(r => r.Segment.No == segmentNo);
        if (rung is null)
        {
            return $"❌ There is no segment #{segmentNo} in this ladder: its segments are #{ladder.Rungs[0].Segment.No} to #{ladder.Rungs[^1].Segment.No}.";
        }
        var s = rung.Segment;
        if (s.No == closed.No)
        {
            return $"✅ #{s.No}: the server acknowledged every byte up to {s.Ack - 1} (ack {s.Ack}) and advertised win 0: its receive "
                + "buffer was full because nobody read it, so the client's kernel had to stop sending"
                + (ProbeAfter(ladder, closed) is { } probe ? $" and, #{probe.No}, ask again with a window probe." : ".");
        }
        if (rung.FromClient)
        {
            return $"❌ #{s.No} was sent by the client. The window that closed is the server's receive window: the server says how "
                + "much more it can take in the win field of the segments it sends back (the green arrows).";
        }
        if (s.Window == 0)
        {
            return $"❌ #{s.No} does advertise win 0, but the window was already closed by then: find the first segment that said 0.";
        }
        return $"❌ #{s.No} advertises win {s.Window:N0}: the server could still take {s.Window:N0} more bytes then. "
            + "Follow the win field of the server's segments down the ladder until it reaches 0.";
    }

    private static TcpSegment? ProbeAfter(Ladder ladder, TcpSegment closed) =>
        ladder.Rungs.FirstOrDefault(r => r.Segment.No > closed.No && r.Note.StartsWith("window probe", StringComparison.Ordinal))?.Segment;
}
