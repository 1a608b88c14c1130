using System.Buffers.Binary;
using System.Net;
using SocketsNotebooks.Tracing;

namespace SocketsNotebooks.Troubleshooting;

/// <summary>
/// Reads a packet capture, the file <c>tcpdump -w</c> writes and Wireshark opens (classic pcap, Ethernet
/// frames), and turns its IPv4 TCP segments into rows a notebook can show: who sent it, the flags, the
/// sequence and acknowledgement numbers counted from each side's first byte (as Wireshark shows them), the
/// window after scaling, and the payload. Only what the course needs: no IPv6, no reassembly.
/// </summary>
public static class PacketCapture
{
    /// <summary>
    /// The capture that comes with the course: <c>sockets echo-client</c> sending <c>b'Hello, world'</c> to
    /// <c>sockets echo-server</c> on 127.0.0.1:65432, recorded on Linux's loopback interface with a raw
    /// AF_PACKET socket (what <c>tcpdump -i lo -w echo.pcap 'tcp port 65432'</c> uses underneath). Loopback
    /// shows every frame twice, going out and coming in; like tcpdump, only one copy was kept.
    /// </summary>
    public const string EchoCaptureName = "echo-65432.pcap";

    private const uint MicrosecondMagic = 0xa1b2c3d4;
    private const int EthernetLinkType = 1;
    private const int EthernetHeaderLength = 14;

    /// <summary>The segments of the course's capture (<see cref="EchoCaptureName"/>), embedded in the library.</summary>
    public static IReadOnlyList<TcpSegment> EchoExchange()
    {
        using var stream = typeof(PacketCapture).Assembly.GetManifestResourceStream($"SocketsNotebooks.Troubleshooting.{EchoCaptureName}")
            ?? throw new InvalidOperationException($"The capture {EchoCaptureName} is missing from the library.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return Parse(copy.ToArray());
    }

    /// <summary>The bytes of a whole capture file, as saved by <c>tcpdump -w</c>. A file of another kind throws <see cref="FormatException"/>.</summary>
    public static IReadOnlyList<TcpSegment> Parse(ReadOnlySpan<byte> file)
    {
        if (file.Length < 24 || BinaryPrimitives.ReadUInt32LittleEndian(file) != MicrosecondMagic)
        {
            throw new FormatException("Not a little-endian classic pcap file (pcapng and nanosecond captures are not read here).");
        }
        if (BinaryPrimitives.ReadInt32LittleEndian(file[20..]) != EthernetLinkType)
        {
            throw new FormatException("Only Ethernet captures (link type 1, what Linux gives for lo and eth0) are read here.");
        }
        var segments = new List<TcpSegment>();
        var firstSeq = new Dictionary<string, uint>();
        var scale = new Dictionary<string, int>();
        double? start = null;
        for (int offset = 24; offset + 16 <= file.Length;)
        {
            var record = file[offset..];
            double timeMs = BinaryPrimitives.ReadUInt32LittleEndian(record) * 1000.0 + BinaryPrimitives.ReadUInt32LittleEndian(record[4..]) / 1000.0;
            int length = BinaryPrimitives.ReadInt32LittleEndian(record[8..]);
            var frame = record.Slice(16, length);
            offset += 16 + length;
            start ??= timeMs;
            if (TryTcp(frame, out var from, out var to, out var tcp, out var payload))
            {
                segments.Add(Segment(segments.Count + 1, timeMs - start.Value, from, to, tcp, payload, firstSeq, scale));
            }
        }
        return segments;
    }

    // An Ethernet frame carrying IPv4 carrying TCP: the two endpoints, the TCP header and what follows it.
    private static bool TryTcp(ReadOnlySpan<byte> frame, out string from, out string to, out ReadOnlySpan<byte> tcp, out ReadOnlySpan<byte> payload)
    {
        from = to = "";
        tcp = payload = default;
        if (frame.Length < EthernetHeaderLength + 20 || BinaryPrimitives.ReadUInt16BigEndian(frame[12..]) != 0x0800)
        {
            return false;
        }
        var ip = frame[EthernetHeaderLength..];
        int ipHeader = (ip[0] & 0x0f) * 4;
        int ipTotal = BinaryPrimitives.ReadUInt16BigEndian(ip[2..]);
        if (ip[9] != 6 || ipTotal > ip.Length)
        {
            return false;
        }
        tcp = ip[ipHeader..ipTotal];
        int tcpHeader = (tcp[12] >> 4) * 4;
        payload = tcp[tcpHeader..];
        from = $"{new IPAddress(ip.Slice(12, 4))}:{BinaryPrimitives.ReadUInt16BigEndian(tcp)}";
        to = $"{new IPAddress(ip.Slice(16, 4))}:{BinaryPrimitives.ReadUInt16BigEndian(tcp[2..])}";
        tcp = tcp[..tcpHeader];
        return true;
    }

    private static TcpSegment Segment(int number, double timeMs, string from, string to, ReadOnlySpan<byte> tcp, ReadOnlySpan<byte> payload,
        Dictionary<string, uint> firstSeq, Dictionary<string, int> scale)
    {
        uint seq = BinaryPrimitives.ReadUInt32BigEndian(tcp[4..]);
        uint ack = BinaryPrimitives.ReadUInt32BigEndian(tcp[8..]);
        byte flags = tcp[13];
        int window = BinaryPrimitives.ReadUInt16BigEndian(tcp[14..]);
        bool syn = (flags & 0x02) != 0;
        bool hasAck = (flags & 0x10) != 0;
        if (syn)
        {
            firstSeq[from] = seq;
            scale[from] = WindowScale(tcp);
        }
        // The window in a SYN is never scaled; afterwards each side's field counts in units of 2^scale,
        // the scale it announced in its SYN.
        long scaledWindow = syn ? window : (long)window << scale.GetValueOrDefault(from);
        long relativeSeq = firstSeq.TryGetValue(from, out uint isn) ? (long)(uint)(seq - isn) : seq;
        long relativeAck = !hasAck ? 0 : firstSeq.TryGetValue(to, out uint peerIsn) ? (long)(uint)(ack - peerIsn) : ack;
        return new TcpSegment(number, Math.Round(timeMs, 3), from, to, FlagNames(flags), relativeSeq, relativeAck, scaledWindow,
            payload.Length, PythonBytes.Repr(payload, 24));
    }

    // The window scale option (kind 3) of a SYN, 0 when there is none.
    private static int WindowScale(ReadOnlySpan<byte> tcp)
    {
        var options = tcp[20..];
        for (int i = 0; i < options.Length;)
        {
            byte kind = options[i];
            if (kind == 0)
            {
                break;
            }
            if (kind == 1)
            {
                i++;
                continue;
            }
            if (i + 1 >= options.Length || options[i + 1] < 2)
            {
                break;
            }
            if (kind == 3 && i + 2 < options.Length)
            {
                return options[i + 2];
            }
            i += options[i + 1];
        }
        return 0;
    }

    // Wireshark's order and names: [SYN, ACK], [PSH, ACK], [FIN, ACK], [RST].
    private static string FlagNames(byte flags)
    {
        (int Bit, string Name)[] names = [(0x01, "FIN"), (0x02, "SYN"), (0x04, "RST"), (0x08, "PSH"), (0x10, "ACK"), (0x20, "URG")];
        return string.Join(", ", names.Where(n => (flags & n.Bit) != 0).Select(n => n.Name));
    }
}
