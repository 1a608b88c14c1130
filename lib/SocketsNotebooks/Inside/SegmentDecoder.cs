using System.Net;
using PacketDotNet;
using PacketDotNet.Tcp;
using SocketsNotebooks.Tracing;
using SocketsNotebooks.Troubleshooting;

namespace SocketsNotebooks.Inside;

/// <summary>
/// Frames in, TCP segments out, numbered the way Wireshark shows them: PacketDotNet decodes the link, IP
/// and TCP headers (options included); this class only keeps, per sender, the first sequence number (so
/// seq and ack count from 0 at each SYN) and the window scale its SYN announced (so later windows are in bytes).
/// </summary>
internal sealed class SegmentDecoder
{
    private readonly Dictionary<string, uint> _firstSeq = [];
    private readonly Dictionary<string, int> _scale = [];
    private decimal? _start;
    private int _count;

    /// <summary>The TCP segments among <paramref name="frames"/>, in capture order; other frames are skipped.</summary>
    public static IReadOnlyList<TcpSegment> Decode(IEnumerable<CapturedFrame> frames)
    {
        var decoder = new SegmentDecoder();
        var segments = new List<TcpSegment>();
        foreach (var frame in frames)
        {
            if (decoder.Add(frame) is { } segment)
            {
                segments.Add(segment);
            }
        }
        return segments;
    }

    /// <summary>
    /// The next frame of a capture as a segment, numbered and timed from the capture's first frame; null for a
    /// frame that is not TCP (it still starts the clock if it came first, as in Wireshark).
    /// </summary>
    public TcpSegment? Add(CapturedFrame frame)
    {
        _start ??= frame.Seconds;
        if (Packet.ParsePacket(frame.Link, frame.Data).Extract<TcpPacket>() is not { ParentPacket: IPPacket ip } tcp)
        {
            return null;
        }
        string from = Endpoint(ip.SourceAddress, tcp.SourcePort);
        string to = Endpoint(ip.DestinationAddress, tcp.DestinationPort);
        if (tcp.Synchronize)
        {
            _firstSeq[from] = tcp.SequenceNumber;
            _scale[from] = tcp.OptionsCollection.OfType<WindowScaleFactorOption>().FirstOrDefault()?.ScaleFactor ?? 0;
        }
        // The window in a SYN is never scaled; afterwards each side's field counts in units of 2^scale,
        // the scale that side announced in its SYN (RFC 7323).
        long window = tcp.Synchronize ? tcp.WindowSize : (long)tcp.WindowSize << _scale.GetValueOrDefault(from);
        long seq = _firstSeq.TryGetValue(from, out uint isn) ? (uint)(tcp.SequenceNumber - isn) : tcp.SequenceNumber;
        long ack = !tcp.Acknowledgment ? 0
            : _firstSeq.TryGetValue(to, out uint peerIsn) ? (uint)(tcp.AcknowledgmentNumber - peerIsn) : tcp.AcknowledgmentNumber;
        // From the IP header's length, not the bytes kept: a capture may have cut the frame short.
        int length = Math.Max(0, ip.PayloadLength - tcp.DataOffset * 4);
        // The payload bytes the frame still holds (none when the snap length kept the headers only).
        int payloadStart = tcp.BytesSegment.Offset + tcp.DataOffset * 4;
        var kept = frame.Data.AsSpan(Math.Min(payloadStart, frame.Data.Length));
        double ms = (double)((frame.Seconds - _start.Value) * 1000m);
        return new TcpSegment(++_count, Math.Round(ms, 3), from, to, FlagNames(tcp), seq, ack, window, length,
            PythonBytes.Repr(kept[..Math.Min(length, kept.Length)], 24));
    }

    private static string Endpoint(IPAddress address, ushort port) =>
        address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{address}]:{port}" : $"{address}:{port}";

    // Wireshark's order and names: [SYN, ACK], [PSH, ACK], [FIN, ACK], [RST].
    private static string FlagNames(TcpPacket tcp)
    {
        (bool Set, string Name)[] names =
            [(tcp.Finished, "FIN"), (tcp.Synchronize, "SYN"), (tcp.Reset, "RST"), (tcp.Push, "PSH"), (tcp.Acknowledgment, "ACK"), (tcp.Urgent, "URG")];
        return string.Join(", ", names.Where(n => n.Set).Select(n => n.Name));
    }
}
