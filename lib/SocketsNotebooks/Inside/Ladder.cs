using SocketsNotebooks.Troubleshooting;

namespace SocketsNotebooks.Inside;

/// <summary>
/// The classic ladder diagram of one connection, as a model: a client line and a server line, and one rung
/// per captured segment, in the order they passed, each with a note where TCP did something worth a name
/// (a zero window, a probe, a window update, a retransmission, a segment out of order, a duplicate ACK, a reset). The side that sent
/// the first SYN is the client. <see cref="ToText"/> prints it; <c>InsideCharts.Ladder</c> draws it.
/// </summary>
public sealed class Ladder
{
    private Ladder(string client, string server, IReadOnlyList<LadderRung> rungs)
    {
        Client = client;
        Server = server;
        Rungs = rungs;
    }

    /// <summary>The client's address and port (the side that sent the first SYN).</summary>
    public string Client { get; }

    /// <summary>The server's address and port.</summary>
    public string Server { get; }

    /// <summary>One rung per segment, in capture order.</summary>
    public IReadOnlyList<LadderRung> Rungs { get; }

    /// <summary>
    /// The side that closed first, and so keeps the connection in TIME_WAIT afterwards (<c>client</c> or
    /// <c>server</c>); null when neither sent a FIN.
    /// </summary>
    public string? TimeWaitSide => Rungs.FirstOrDefault(r => HasFlag(r.Segment, "FIN")) is { } fin ? (fin.FromClient ? "client" : "server") : null;

    /// <summary>The first segment that advertised a window of 0: the receiver saying "stop, my buffer is full".</summary>
    public TcpSegment? WindowClosed => Rungs.FirstOrDefault(r => r.Segment.Window == 0 && !HasFlag(r.Segment, "RST"))?.Segment;

    /// <summary>
    /// The ladder of <paramref name="segments"/> (one connection, as a capture of one port gives). With
    /// <paramref name="serverPort"/>, every segment sent to that port counts as the client's, so a capture that
    /// began after the handshake, or holds several clients of one server, still points its arrows the right way.
    /// </summary>
    public static Ladder From(IReadOnlyList<TcpSegment> segments, int? serverPort = null)
    {
        ArgumentNullException.ThrowIfNull(segments);
        string portSuffix = serverPort is { } p ? $":{p}" : "";
        bool ToServer(TcpSegment s) => s.Destination.EndsWith(portSuffix, StringComparison.Ordinal);
        string client = serverPort is not null ? segments.FirstOrDefault(ToServer)?.Source ?? ""
            : segments.FirstOrDefault(s => s.Flags == "SYN")?.Source ?? segments.FirstOrDefault()?.Source ?? "";
        string server = segments.FirstOrDefault(s => s.Source == client)?.Destination
            ?? segments.FirstOrDefault(s => s.Source != client)?.Source ?? "";
        var rungs = new List<LadderRung>(segments.Count);
        var analysis = new LadderAnalysis();
        foreach (var segment in segments)
        {
            bool fromClient = serverPort is not null ? ToServer(segment) : segment.Source == client;
            rungs.Add(new LadderRung(segment, fromClient, analysis.Note(segment)));
        }
        MarkRetransmitted(rungs);
        string closer = rungs.FirstOrDefault(r => HasFlag(r.Segment, "FIN"))?.Segment.Source ?? "";
        // The closer's ACK of the other side's FIN is its last word: from then on its socket waits in TIME_WAIT.
        int lastFromCloser = rungs.FindLastIndex(r => r.Segment.Source == closer && HasFlag(r.Segment, "ACK"));
        bool peerFinned = rungs.Any(r => r.Segment.Source != closer && HasFlag(r.Segment, "FIN"));
        if (closer.Length > 0 && peerFinned && lastFromCloser >= 0 && !HasFlag(rungs[lastFromCloser].Segment, "RST"))
        {
            var last = rungs[lastFromCloser];
            rungs[lastFromCloser] = last with { Note = Join(last.Note, "→ TIME_WAIT") };
        }
        return new Ladder(client, server, rungs);
    }

    /// <summary>
    /// A part of the ladder: the rungs from <paramref name="before"/> segments before segment number
    /// <paramref name="no"/> to <paramref name="after"/> after it (for a long transfer).
    /// </summary>
    public Ladder Around(int no, int before, int after)
    {
        int index = Math.Max(0, Rungs.ToList().FindIndex(r => r.Segment.No == no));
        int from = Math.Max(0, index - before);
        int to = Math.Min(Rungs.Count, index + after + 1);
        return new Ladder(Client, Server, Rungs.Skip(from).Take(to - from).ToArray());
    }

    /// <summary>The ladder as text lines: time, direction, flags, seq, ack, len, win and the note.</summary>
    public IReadOnlyList<string> Lines() => [$"client {Client}   server {Server}", .. Rungs.Select(r => r.ToString())];

    /// <summary>All <see cref="Lines"/>, one per line.</summary>
    public string ToText() => string.Join('\n', Lines());

    /// <inheritdoc/>
    public override string ToString() => ToText();

    /// <summary>A part of the ladder: the rungs <paramref name="keep"/> selects (the chart marks the segments left out).</summary>
    public Ladder Subset(Func<LadderRung, bool> keep) => new(Client, Server, Rungs.Where(keep).ToArray());

    // The first sending of a segment that was later sent again: in a capture taken where packets arrive, the
    // segment was seen but never acknowledged, so it was lost on the last step.
    private static void MarkRetransmitted(List<LadderRung> rungs)
    {
        for (int i = 0; i < rungs.Count; i++)
        {
            var again = rungs[i];
            if (!again.Note.StartsWith("retransmission", StringComparison.Ordinal) || again.Segment.Length == 0)
            {
                continue;
            }
            int first = rungs.FindIndex(0, i, r => r.Segment.Source == again.Segment.Source && r.Segment.Seq == again.Segment.Seq
                && !r.Note.StartsWith("retransmission", StringComparison.Ordinal) && !r.Note.StartsWith("not acknowledged", StringComparison.Ordinal));
            if (first >= 0)
            {
                rungs[first] = rungs[first] with { Note = $"not acknowledged: sent again as #{again.Segment.No}" };
            }
        }
    }

    internal static bool HasFlag(TcpSegment segment, string flag) =>
        segment.Flags.Split(", ").Contains(flag, StringComparer.Ordinal);

    private static string Join(string a, string b) => a.Length == 0 ? b : $"{a}, {b}";
}
