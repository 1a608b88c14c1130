using SocketsNotebooks.Troubleshooting;

namespace SocketsNotebooks.Inside;

/// <summary>One experiment's segments as a ladder, and where they came from: a live capture just now, or a recording.</summary>
/// <param name="Title">What the experiment did, for the chart's title.</param>
/// <param name="Ladder">The segments, one rung each.</param>
/// <param name="IsLive">True for a capture made just now; false for a recording that comes with the course.</param>
/// <param name="Source">Where the segments come from, with the date and kernel of a recording.</param>
/// <param name="PcapPath">The .pcap file written (live), or the recording's file in the repository.</param>
/// <param name="Remarks">What else was checked, e.g. which socket the socket table showed in TIME_WAIT.</param>
public sealed record LadderRun(string Title, Ladder Ladder, bool IsLive, string Source, string PcapPath, IReadOnlyList<string> Remarks)
{
    /// <summary>The segments, in capture order.</summary>
    public IReadOnlyList<TcpSegment> Segments => [.. Ladder.Rungs.Select(r => r.Segment)];

    /// <summary>Where the capture file is, in a sentence: written just now, or the recording in the repository.</summary>
    public string PcapNote => IsLive ? $"written to {PcapPath} (Wireshark opens it)" : $"the recording is {PcapPath} in the repository (Wireshark opens it)";

    /// <summary>The source, the ladder as text and the remarks, for a terminal.</summary>
    public override string ToString() =>
        string.Join('\n', [$"{Title} ({Source})", Ladder.ToText(), .. Remarks]);
}
