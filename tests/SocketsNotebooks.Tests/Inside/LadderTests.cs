using SocketsNotebooks.Inside;
using SocketsNotebooks.Troubleshooting;

namespace SocketsNotebooks.Tests.Inside;

/// <summary>The ladders of the committed recordings, segment by segment (Inside/Recordings/, made by the library itself).</summary>
public sealed class LadderTests
{
    private static (string Flags, bool FromClient, long Seq, long Ack, int Len, long Win, string Note)[] Rows(Ladder ladder) =>
        [.. ladder.Rungs.Select(r => (r.Segment.Flags, r.FromClient, r.Segment.Seq, r.Segment.Ack, r.Segment.Length, r.Segment.Window, r.Note))];

    [Fact]
    public void From_EchoRecording_HandshakeEchoFinFinAckAndTheClientInTimeWait()
    {
        var ladder = Recordings.Echo.Ladder();

        Assert.Equal(
        [
            ("SYN", true, 0, 0, 0, 65495, ""),
            ("SYN, ACK", false, 0, 1, 0, 65483, ""),
            ("ACK", true, 1, 1, 0, 65536, ""),
            ("PSH, ACK", true, 1, 1, 12, 65536, ""),
            ("ACK", false, 1, 13, 0, 65536, ""),
            ("PSH, ACK", false, 1, 13, 12, 65536, ""),
            ("ACK", true, 13, 13, 0, 65536, ""),
            ("FIN, ACK", true, 13, 13, 0, 65536, ""),
            ("FIN, ACK", false, 13, 14, 0, 65536, ""),
            ("ACK", true, 14, 14, 0, 65536, "→ TIME_WAIT"),
        ], Rows(ladder));
        Assert.Equal("client", ladder.TimeWaitSide);
        Assert.Equal("127.0.0.1:36672", ladder.Client);
        Assert.Equal("127.0.0.1:44969", ladder.Server);
        Assert.Equal("b'Hello, world'", ladder.Rungs[3].Segment.Payload);
    }

    [Fact]
    public void From_ResetRecording_RstInsteadOfFinAndNoTimeWait()
    {
        var ladder = Recordings.Reset.Ladder();

        Assert.Equal(
        [
            ("SYN", true, 0, 0, 0, 65495, ""),
            ("SYN, ACK", false, 0, 1, 0, 65483, ""),
            ("ACK", true, 1, 1, 0, 65536, ""),
            ("PSH, ACK", true, 1, 1, 5, 65536, ""),
            ("ACK", false, 1, 6, 0, 65536, ""),
            ("RST, ACK", false, 1, 6, 0, 65536, "reset"),
        ], Rows(ladder));
        Assert.Null(ladder.TimeWaitSide);
    }

    [Fact]
    public void From_ZeroWindowRecording_WindowShrinksToZeroIsProbedAndUpdated()
    {
        var ladder = Recordings.ZeroWindow.Ladder();

        Assert.Equal(
        [
            ("SYN", true, 0, 0, 0, 65495, ""),
            ("SYN, ACK", false, 0, 1, 0, 8192, ""),
            ("ACK", true, 1, 1, 0, 65536, ""),
            ("PSH, ACK", true, 1, 1, 2000, 65536, ""),
            ("ACK", false, 1, 2001, 0, 8192, ""),
            ("PSH, ACK", true, 2001, 1, 2000, 65536, ""),
            ("ACK", false, 1, 4001, 0, 8000, ""),
            ("PSH, ACK", true, 4001, 1, 2000, 65536, ""),
            ("ACK", false, 1, 6001, 0, 6000, ""),
            ("PSH, ACK", true, 6001, 1, 2000, 65536, ""),
            ("ACK", false, 1, 8001, 0, 4000, ""),
            ("PSH, ACK", true, 8001, 1, 4000, 65536, ""),
            ("ACK", false, 1, 12001, 0, 0, "zero window"),
            ("ACK", true, 12000, 1, 0, 65536, "window probe"),
            ("ACK", false, 1, 12001, 0, 0, "zero window"),
            ("ACK", false, 1, 12001, 0, 8000, "window update"),
            ("PSH, ACK", true, 12001, 1, 8000, 65536, ""),
            ("ACK", false, 1, 20001, 0, 8000, ""),
            ("PSH, ACK", true, 20001, 1, 2000, 65536, ""),
            ("ACK", false, 1, 22001, 0, 8000, ""),
            ("FIN, ACK", true, 22001, 1, 0, 65536, ""),
            ("FIN, ACK", false, 1, 22002, 0, 8000, ""),
            ("ACK", true, 22002, 2, 0, 65536, "→ TIME_WAIT"),
        ], Rows(ladder));
        Assert.Equal(13, ladder.WindowClosed!.No);
    }

    [Fact]
    public void From_LossRecording_EveryRetransmissionFollowsAFirstSendingMarkedNotAcknowledged()
    {
        var ladder = Recordings.Loss.Ladder();
        var again = ladder.Rungs.Where(r => r.Note == "retransmission").ToArray();

        Assert.Equal(842, ladder.Rungs.Count);
        Assert.Equal(7, again.Length);
        Assert.All(again, r => Assert.Contains(ladder.Rungs,
            first => first.Segment.No < r.Segment.No && first.Segment.Seq == r.Segment.Seq && first.Note == $"not acknowledged: sent again as #{r.Segment.No}"));
        // Between the first sending and the retransmission, the receiver kept asking for the missing byte.
        var firstLoss = ladder.Rungs.First(r => r.Note.StartsWith("not acknowledged", StringComparison.Ordinal));
        Assert.Contains(ladder.Rungs, r => r.Note == "duplicate ACK" && r.Segment.Ack == firstLoss.Segment.Seq && r.Segment.No < again[0].Segment.No);
    }

    [Fact]
    public void Around_ASegment_TheRungsBeforeAndAfterIt()
    {
        var ladder = Recordings.ZeroWindow.Ladder();

        var part = ladder.Around(13, before: 2, after: 1);

        Assert.Equal([11, 12, 13, 14], part.Rungs.Select(r => r.Segment.No));
        Assert.Equal(ladder.Client, part.Client);
    }

    [Fact]
    public void Lines_EchoRecording_HeaderThenOneLinePerSegmentWithTimeDirectionAndFields()
    {
        var lines = Recordings.Echo.Ladder().Lines();

        Assert.Equal(11, lines.Count);
        Assert.Equal("client 127.0.0.1:36672   server 127.0.0.1:44969", lines[0]);
        Assert.Matches(@"^\s+0\.000 ms  client → server  \[SYN\] seq 0 ack 0 len 0 win 65495$", lines[1]);
        Assert.EndsWith("[ACK] seq 14 ack 14 len 0 win 65536  (→ TIME_WAIT)", lines[^1], StringComparison.Ordinal);
    }

    [Fact]
    public void From_SegmentPassedOnTheWay_OutOfOrderNotRetransmission()
    {
        TcpSegment Data(int no, long seq) => new(no, no, "127.0.0.1:5000", "127.0.0.1:6000", "ACK", seq, 1, 65536, 100, "");
        TcpSegment[] segments =
        [
            new(1, 0, "127.0.0.1:5000", "127.0.0.1:6000", "SYN", 0, 0, 65495, 0, ""),
            Data(2, 1), Data(3, 201), Data(4, 101), Data(5, 101),
        ];

        var passed = Ladder.From(segments[..4]).Rungs.Select(r => r.Note).ToArray();
        var repeated = Ladder.From(segments).Rungs.Select(r => r.Note).ToArray();

        // #4 was never seen before: #3 passed it on the way, nothing was sent twice. #5 repeats it: that one is sent again.
        Assert.Equal(["", "", "", "out of order"], passed);
        Assert.Equal(["", "", "", "not acknowledged: sent again as #5", "retransmission"], repeated);
    }

    [Fact]
    public void From_NoSegments_EmptyLadder()
    {
        var ladder = Ladder.From(Array.Empty<TcpSegment>());

        Assert.Empty(ladder.Rungs);
        Assert.Null(ladder.TimeWaitSide);
        Assert.Null(ladder.WindowClosed);
    }
}
