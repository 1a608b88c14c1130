namespace SocketsNotebooks.Inside;

/// <summary>What <see cref="LossDemo"/> measured: a transfer over a lossy loopback, its segments and its TCP_INFO.</summary>
/// <param name="Ladder">Every segment of the connection (<see cref="Excerpt"/> picks the part around the first retransmission).</param>
/// <param name="Samples">The sender's TCP_INFO every few milliseconds during the transfer.</param>
/// <param name="Impairment">What made the loss: netem or an nftables rule, and how much.</param>
/// <param name="BytesSent">Bytes the client sent before it stopped (it stops after the first retransmission).</param>
/// <param name="IsLive">True when measured just now in a namespace of this process; false for the recording.</param>
/// <param name="Source">Where the numbers come from, with the date and kernel of a recording.</param>
/// <param name="PcapPath">The capture written (live) or the recording's file.</param>
public sealed record LossRun(Ladder Ladder, IReadOnlyList<TcpInfoSample> Samples, string Impairment, long BytesSent, bool IsLive,
    string Source, string PcapPath)
{
    /// <summary>Segments the sender sent twice, as the capture shows them.</summary>
    public int Retransmissions => Ladder.Rungs.Count(r => r.Note.StartsWith("retransmission", StringComparison.Ordinal));

    /// <summary>
    /// Milliseconds between the first sending of the first segment that had to be sent again and its
    /// retransmission (null without one): how long the loss cost.
    /// </summary>
    public double? RecoveryMs
    {
        get
        {
            var again = Ladder.Rungs.FirstOrDefault(r => r.Note.StartsWith("retransmission", StringComparison.Ordinal));
            var first = again is null ? null
                : Ladder.Rungs.FirstOrDefault(r => r.FromClient == again.FromClient && r.Segment.Seq == again.Segment.Seq && r.Segment.No < again.Segment.No);
            return again is null || first is null ? null : Math.Round(again.Segment.TimeMs - first.Segment.TimeMs, 3);
        }
    }

    /// <summary>The sender's last TCP_INFO reading.</summary>
    public TcpInfo? Final => Samples.Count > 0 ? Samples[^1].Info : null;

    /// <summary>
    /// The part of the ladder around the first retransmission: the lost segment's first sending with the few rungs
    /// before and after it, every ACK between the two sendings that asked for the missing byte (the duplicate ACKs),
    /// then the rungs that led up to its second sending and how the receiver answered.
    /// </summary>
    public Ladder Excerpt(int around = 3, int before = 6, int after = 4)
    {
        var rungs = Ladder.Rungs;
        int again = rungs.ToList().FindIndex(r => r.Note.StartsWith("retransmission", StringComparison.Ordinal));
        if (again < 0)
        {
            return Ladder.Subset(r => r.Segment.No <= before + after);
        }
        long seq = rungs[again].Segment.Seq;
        int first = rungs.ToList().FindIndex(r => r.Segment.Seq == seq && r.FromClient == rungs[again].FromClient);
        bool AsksForIt(int i) => i > first && i < again && rungs[i].FromClient != rungs[again].FromClient && rungs[i].Segment.Ack == seq;
        bool Near(int i) => (first >= 0 && (Math.Abs(i - first) <= around || AsksForIt(i))) || (i >= again - before && i <= again + after);
        var keep = rungs.Where((_, i) => Near(i)).Select(r => r.Segment.No).ToHashSet();
        return Ladder.Subset(r => keep.Contains(r.Segment.No));
    }
}
