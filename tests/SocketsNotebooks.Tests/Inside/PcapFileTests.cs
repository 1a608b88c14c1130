using SocketsNotebooks.Inside;
using SocketsNotebooks.Troubleshooting;

namespace SocketsNotebooks.Tests.Inside;

public sealed class PcapFileTests
{
    [Fact]
    public void Parse_NotAPcap_FormatExceptionSaysWhat()
    {
        var e = Assert.Throws<FormatException>(() => PcapFile.Parse("\n\r\r\n this is pcapng or text, not pcap"u8));

        Assert.Contains("classic pcap", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_FileCutInItsLastFrame_KeepsTheWholeFrames()
    {
        byte[] whole = Recordings.Echo.Bytes();

        var segments = PcapFile.Parse(whole.AsSpan(0, whole.Length - 10));

        Assert.Equal(9, segments.Count);
    }

    [Fact]
    public void Parse_HeadersOnlyCapture_LengthFromTheIpHeaderNotTheBytesKept()
    {
        // The loss recording keeps 128 bytes of each frame: most of the payload is gone, its length is not.
        var frames = PcapFile.Frames(Recordings.Loss.Bytes());
        var segments = PcapFile.Parse(Recordings.Loss.Bytes());

        Assert.All(frames, f => Assert.True(f.Data.Length <= 128));
        Assert.Contains(frames, f => f.OriginalLength == 1514);
        Assert.Equal(frames.Count(f => f.OriginalLength == 1514), segments.Count(s => s.Length == 1448));
    }

    [Fact]
    public void Parse_Notebook04Capture_SameSegmentsAsBefore()
    {
        // PacketCapture now reads through PcapFile; notebook 04's table must not change.
        var segments = PacketCapture.EchoExchange();

        Assert.Equal(PcapFile.Parse(File.ReadAllBytes(RepositoryFile("lib/SocketsNotebooks/Troubleshooting/echo-65432.pcap"))), segments);
        Assert.Equal((1L, 13L, 12, "b'Hello, world'"), (segments[5].Seq, segments[5].Ack, segments[5].Length, segments[5].Payload));
    }

    internal static string RepositoryFile(string relative, [System.Runtime.CompilerServices.CallerFilePath] string here = "")
    {
        string? dir = Path.GetDirectoryName(here);
        while (dir is not null && !File.Exists(Path.Combine(dir, "SocketsNotebooks.sln")))
        {
            dir = Path.GetDirectoryName(dir);
        }
        return Path.Combine(dir ?? throw new InvalidOperationException("no SocketsNotebooks.sln above the tests"), relative);
    }
}
