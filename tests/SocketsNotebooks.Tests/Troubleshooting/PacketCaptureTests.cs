using SocketsNotebooks.Charts;
using SocketsNotebooks.Tests.Charts;
using SocketsNotebooks.Troubleshooting;

namespace SocketsNotebooks.Tests.Troubleshooting;

public sealed class PacketCaptureTests
{
    [Fact]
    public void EchoExchange_CommittedCapture_HandshakeDataEchoAndTwoFins()
    {
        var segments = PacketCapture.EchoExchange();

        Assert.Equal(
            ["SYN", "SYN, ACK", "ACK", "PSH, ACK", "ACK", "PSH, ACK", "ACK", "FIN, ACK", "FIN, ACK", "ACK"],
            segments.Select(s => s.Flags));
        Assert.All(segments, s => Assert.Contains(":65432", s.Source + s.Destination, StringComparison.Ordinal));
    }

    [Fact]
    public void EchoExchange_SequenceNumbers_RelativeToEachSidesSynLikeWireshark()
    {
        var segments = PacketCapture.EchoExchange();
        var request = segments[3];
        var echo = segments[5];

        Assert.Equal((1L, 1L, 12, "b'Hello, world'"), (request.Seq, request.Ack, request.Length, request.Payload));
        // The server acknowledges the 12 bytes (next expected byte 13) and sends its own 12.
        Assert.Equal((1L, 13L, 12), (echo.Seq, echo.Ack, echo.Length));
        // The FINs take one sequence number each: the last ACK expects byte 14.
        Assert.Equal(14L, segments[^1].Ack);
    }

    [Fact]
    public void EchoExchange_Window_ScaledByTheFactorEachSynAnnounced()
    {
        var segments = PacketCapture.EchoExchange();

        // The SYN's own window is never scaled; later window fields of 64 count in units the SYN announced.
        Assert.Equal(65495, segments[0].Window);
        Assert.True(segments[3].Window > 64);
    }

    [Fact]
    public void Parse_NotAPcap_FormatExceptionSaysWhat()
    {
        var e = Assert.Throws<FormatException>(() => PacketCapture.Parse("not a capture at all, no"u8));

        Assert.Contains("pcap", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Segments_Table_OneRowPerSegmentDirectionNamed()
    {
        var segments = PacketCapture.EchoExchange();
        var json = FigureJson.Json(TroubleshootingCharts.Segments(segments));
        var columns = json.GetProperty("data")[0].GetProperty("cells").GetProperty("values");

        Assert.Equal(segments.Count, columns[0].GetArrayLength());
        Assert.Equal("client → server", columns[2][0].GetString());
        Assert.Equal("server → client", columns[2][1].GetString());
        Assert.Equal("b'Hello, world'", columns[8][3].GetString());
    }
}
