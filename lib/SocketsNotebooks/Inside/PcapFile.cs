using System.Buffers.Binary;
using PacketDotNet;
using SharpPcap;
using SharpPcap.LibPcap;
using SocketsNotebooks.Troubleshooting;

namespace SocketsNotebooks.Inside;

/// <summary>
/// Classic <c>.pcap</c> files, the format <c>tcpdump -w</c> writes and Wireshark opens. Writing goes through
/// libpcap itself (SharpPcap's <see cref="CaptureFileWriterDevice"/>), so the files are exactly tcpdump's.
/// Reading only walks the file's record headers (a 24-byte file header, then 16 bytes before each frame) and
/// hands every frame to PacketDotNet: that way a recorded capture opens on a machine without libpcap too,
/// which is where the notebook most needs one (no libpcap, no capture).
/// </summary>
public static class PcapFile
{
    private const uint MicrosecondMagic = 0xa1b2c3d4;
    private const uint NanosecondMagic = 0xa1b23c4d;
    private const int FileHeaderLength = 24;
    private const int RecordHeaderLength = 16;

    /// <summary>The TCP segments of the capture file at <paramref name="path"/>.</summary>
    public static IReadOnlyList<TcpSegment> Read(string path) => Parse(File.ReadAllBytes(path));

    /// <summary>The TCP segments of a whole capture file's bytes. Anything but a classic pcap throws <see cref="FormatException"/>.</summary>
    public static IReadOnlyList<TcpSegment> Parse(ReadOnlySpan<byte> file) => SegmentDecoder.Decode(Frames(file));

    /// <summary>The frames of a classic pcap file, little- or big-endian, microsecond or nanosecond timestamps.</summary>
    internal static List<CapturedFrame> Frames(ReadOnlySpan<byte> file)
    {
        if (file.Length < FileHeaderLength)
        {
            throw new FormatException("Not a classic pcap file: shorter than its 24-byte header.");
        }
        uint magic = BinaryPrimitives.ReadUInt32LittleEndian(file);
        bool little = magic is MicrosecondMagic or NanosecondMagic;
        uint swapped = BinaryPrimitives.ReverseEndianness(magic);
        if (!little && swapped is not (MicrosecondMagic or NanosecondMagic))
        {
            throw new FormatException("Not a classic pcap file (pcapng is not read here: save it as pcap in Wireshark).");
        }
        decimal fraction = (little ? magic : swapped) == NanosecondMagic ? 1_000_000_000m : 1_000_000m;
        uint U32(ReadOnlySpan<byte> bytes) => little ? BinaryPrimitives.ReadUInt32LittleEndian(bytes) : BinaryPrimitives.ReadUInt32BigEndian(bytes);
        var link = (LinkLayers)(U32(file[20..]) & 0xFFFF);
        var frames = new List<CapturedFrame>();
        for (int offset = FileHeaderLength; offset + RecordHeaderLength <= file.Length;)
        {
            var record = file[offset..];
            decimal seconds = U32(record) + U32(record[4..]) / fraction;
            int kept = (int)U32(record[8..]);
            int original = (int)U32(record[12..]);
            if (offset + RecordHeaderLength + kept > file.Length)
            {
                break; // a file cut off in the middle of its last frame: keep what is whole
            }
            frames.Add(new CapturedFrame(seconds, link, record.Slice(RecordHeaderLength, kept).ToArray(), original));
            offset += RecordHeaderLength + kept;
        }
        return frames;
    }

    /// <summary>Writes <paramref name="frames"/> to <paramref name="path"/> with libpcap, replacing any file there.</summary>
    internal static void Write(string path, IReadOnlyList<CapturedFrame> frames, LinkLayers link = LinkLayers.Ethernet,
        int snapLength = SegmentCapture.SnapLength)
    {
        if (Path.GetDirectoryName(Path.GetFullPath(path)) is { } folder)
        {
            Directory.CreateDirectory(folder);
        }
        using var writer = new CaptureFileWriterDevice(path, FileMode.Create);
        writer.Open(new DeviceConfiguration { LinkLayerType = link, Snaplen = snapLength });
        foreach (var frame in frames)
        {
            long micros = (long)decimal.Round(frame.Seconds * 1_000_000m);
            // The record keeps the frame's real length beside the bytes kept, as tcpdump's does.
            var header = new PcapHeader((uint)(micros / 1_000_000), (uint)(micros % 1_000_000), (uint)frame.OriginalLength, (uint)frame.Data.Length);
            writer.Write(frame.Data, ref header);
        }
    }
}
