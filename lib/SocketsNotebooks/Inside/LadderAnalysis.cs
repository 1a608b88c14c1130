using SocketsNotebooks.Troubleshooting;

namespace SocketsNotebooks.Inside;

/// <summary>
/// The notes of a <see cref="Ladder"/>'s rungs, read segment by segment as Wireshark's TCP analysis reads them, for
/// the few cases the course shows. Per sender it keeps the sequence numbers seen so far (as merged ranges), the
/// next one expected, and its last ack and window.
/// </summary>
internal sealed class LadderAnalysis
{
    private readonly Dictionary<string, long> _nextSeq = [];
    private readonly Dictionary<string, List<(long Start, long End)>> _seen = [];
    private readonly Dictionary<string, (long Ack, long Window)> _last = [];

    /// <summary>The note for the next segment of the capture (empty for an ordinary one).</summary>
    public string Note(TcpSegment s)
    {
        bool syn = Ladder.HasFlag(s, "SYN"), fin = Ladder.HasFlag(s, "FIN"), rst = Ladder.HasFlag(s, "RST");
        long consumed = s.Length + (syn ? 1 : 0) + (fin ? 1 : 0);
        long next = _nextSeq.GetValueOrDefault(s.Source, s.Seq);
        bool peerWindowZero = _last.TryGetValue(s.Destination, out var peer) && peer.Window == 0;
        bool hadLast = _last.TryGetValue(s.Source, out var mine);
        string note = "";
        if (rst)
        {
            note = "reset";
        }
        else if (consumed > 0 && !syn && Seen(s.Source, s.Seq, s.Seq + consumed))
        {
            note = "retransmission";
        }
        else if (consumed > 0 && !syn && s.Seq < next)
        {
            // Never seen before, yet below what the sender had already sent: it was passed on the way.
            note = "out of order";
        }
        else if (peerWindowZero && s.Length <= 1 && !fin && (s.Seq == next - 1 || (s.Seq == next && s.Length == 1)))
        {
            note = "window probe";
        }
        else if (s.Window == 0)
        {
            note = "zero window";
        }
        else if (hadLast && consumed == 0 && s.Ack == mine.Ack && s.Window > mine.Window && mine.Window == 0)
        {
            note = "window update";
        }
        else if (hadLast && consumed == 0 && s.Ack == mine.Ack && s.Window >= mine.Window && _nextSeq.ContainsKey(s.Destination)
            && _nextSeq[s.Destination] > s.Ack)
        {
            note = "duplicate ACK";
        }
        if (s.Window == 0 && note is "window probe" or "retransmission")
        {
            note += ", zero window";
        }
        _nextSeq[s.Source] = Math.Max(next, s.Seq + consumed);
        if (consumed > 0)
        {
            Remember(s.Source, s.Seq, s.Seq + consumed);
        }
        if (Ladder.HasFlag(s, "ACK"))
        {
            _last[s.Source] = (s.Ack, s.Window);
        }
        return note;
    }

    private bool Seen(string sender, long start, long end) =>
        _seen.TryGetValue(sender, out var ranges) && ranges.Any(r => r.Start < end && start < r.End);

    // Ranges kept sorted and merged: a transfer in order stays one range, however long.
    private void Remember(string sender, long start, long end)
    {
        if (!_seen.TryGetValue(sender, out var ranges))
        {
            _seen[sender] = ranges = [];
        }
        int at = ranges.FindIndex(r => r.End >= start);
        if (at < 0)
        {
            ranges.Add((start, end));
            return;
        }
        var merged = (Start: Math.Min(start, ranges[at].Start), End: end);
        int last = at;
        while (last < ranges.Count && ranges[last].Start <= end)
        {
            merged.End = Math.Max(merged.End, ranges[last].End);
            last++;
        }
        if (last == at)
        {
            ranges.Insert(at, (start, end));
            return;
        }
        ranges.RemoveRange(at, last - at);
        ranges.Insert(at, (merged.Start, merged.End));
    }
}
