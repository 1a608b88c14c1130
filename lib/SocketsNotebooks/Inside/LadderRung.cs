using SocketsNotebooks.Troubleshooting;

namespace SocketsNotebooks.Inside;

/// <summary>One arrow of a <see cref="Ladder"/>: a segment, which way it went, and what it means for TCP.</summary>
/// <param name="Segment">The segment as captured.</param>
/// <param name="FromClient">True when the client sent it (the arrow points right, to the server).</param>
/// <param name="Note">
/// What Wireshark's analysis would call it, empty for an ordinary segment: <c>zero window</c>, <c>window probe</c>,
/// <c>window update</c>, <c>retransmission</c>, <c>out of order</c>, <c>duplicate ACK</c>, <c>reset</c>, <c>→ TIME_WAIT</c>.
/// </param>
public sealed record LadderRung(TcpSegment Segment, bool FromClient, string Note)
{
    /// <summary><c>client → server</c> or <c>server → client</c>.</summary>
    public string Direction => FromClient ? "client → server" : "server → client";

    /// <summary>The arrow's label: flags, seq, ack, len and win, as on a textbook ladder.</summary>
    public string Label => $"[{Segment.Flags}] seq {Segment.Seq} ack {Segment.Ack} len {Segment.Length} win {Segment.Window}";

    /// <summary>One line of the text ladder: time, direction, flags, seq, ack, len, win, note.</summary>
    public override string ToString() =>
        $"{Segment.TimeMs,10:0.000} ms  {Direction}  {Label}{(Note.Length > 0 ? $"  ({Note})" : "")}";
}
