using SocketsNotebooks.Inside;

namespace SocketsNotebooks.Troubleshooting;

/// <summary>
/// Reads a packet capture, the file <c>tcpdump -w</c> writes and Wireshark opens (classic pcap, Ethernet
/// frames), and turns its IPv4 TCP segments into rows a notebook can show: who sent it, the flags, the
/// sequence and acknowledgement numbers counted from each side's first byte (as Wireshark shows them), the
/// window after scaling, and the payload. The frames are decoded by PacketDotNet (<see cref="PcapFile"/>), as
/// notebook 07's live captures are.
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
    public static IReadOnlyList<TcpSegment> Parse(ReadOnlySpan<byte> file) => PcapFile.Parse(file);
}
