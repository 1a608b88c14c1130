using System.Net;
using System.Net.Sockets;
using SocketsNotebooks.Inside;

namespace SocketsNotebooks.Tests.Inside;

public sealed class TcpInfoTests
{
    // struct tcp_info as Linux 6.18.44 returned it (280 bytes) for a loopback client after one 12-byte echo;
    // the expected values were read from the same bytes with Python's struct module at the uapi offsets.
    private static byte[] Recorded() => File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Inside", "tcp_info-linux-6.18.bin"));

    [Fact]
    public void Decode_RecordedBuffer_FieldsAtTheUapiOffsets()
    {
        var info = TcpInfo.Decode(Recorded());

        Assert.Equal(280, info.Length);
        Assert.Equal((1, "ESTABLISHED", 0, 0), (info.State, info.StateName, info.Retransmits, info.Probes));
        Assert.Equal((204_000L, 32_768L, 536L, 0L, 0L), (info.RtoUs, info.SendMss, info.ReceiveMss, info.Unacked, info.Lost));
        Assert.Equal((24L, 13L, 2_147_483_647L, 11L, 0L), (info.RttUs, info.RttVarUs, info.SlowStartThreshold, info.CongestionWindow, info.TotalRetransmits));
        Assert.Equal((13L, 12L, 4L, 3L, 0L), (info.BytesAcked!.Value, info.BytesReceived!.Value, info.SegmentsOut!.Value, info.SegmentsIn!.Value, info.NotSentBytes!.Value));
        Assert.Equal((65_536L, 65_536L), (info.PeerWindow!.Value, info.ReceiveWindow!.Value));
    }

    [Fact]
    public void Decode_OlderKernelsShorterStruct_LaterFieldsNull()
    {
        // Linux 2.6's struct ended after tcpi_total_retrans (104 bytes); 5.4 added tcpi_snd_wnd (232 bytes).
        var old = TcpInfo.Decode(Recorded().AsSpan(0, TcpInfo.MinimumLength));
        var fiveFour = TcpInfo.Decode(Recorded().AsSpan(0, 232));

        Assert.Equal((11L, 24L), (old.CongestionWindow, old.RttUs));
        Assert.Null(old.BytesAcked);
        Assert.Null(old.PeerWindow);
        Assert.Equal(65_536L, fiveFour.PeerWindow);
        Assert.Null(fiveFour.ReceiveWindow);
    }

    [Fact]
    public void Decode_TooShort_FormatExceptionNamesTheLength()
    {
        var e = Assert.Throws<FormatException>(() => TcpInfo.Decode(new byte[50]));

        Assert.Contains("50 bytes", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Fields_RecordedBuffer_KernelNamesValuesAndMeanings()
    {
        var fields = TcpInfo.Decode(Recorded()).Fields();

        Assert.Contains(new TcpInfoField("tcpi_rtt", "24 µs", "smoothed round-trip time: a segment there and its ACK back"), fields);
        Assert.Contains(fields, f => f.Field == "tcpi_snd_ssthresh" && f.Value == "unlimited");
        Assert.Contains(fields, f => f.Field == "tcpi_snd_cwnd" && f.Value == "11 segments");
    }

    [SkippableFact]
    public void Read_LiveEchoedConnection_BytesAckedAndReceivedCountTheExchange()
    {
        Privileges.RequireLinux();
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen();
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveTimeout = 5000 };
        client.Connect(listener.LocalEndPoint!);
        using var server = listener.Accept();
        server.ReceiveTimeout = 5000;
        client.Send(new byte[100]);
        var buffer = new byte[100];
        for (int got = 0; got < 100;)
        {
            got += server.Receive(buffer, got, 100 - got, SocketFlags.None);
        }
        server.Send(new byte[40]);
        for (int got = 0; got < 40;)
        {
            got += client.Receive(buffer, got, 40 - got, SocketFlags.None);
        }

        var info = TcpInfoReader.Read(client);

        Assert.Equal("ESTABLISHED", info.StateName);
        // bytes_acked counts the SYN's sequence number too.
        Assert.Equal(101L, info.BytesAcked);
        Assert.Equal(40L, info.BytesReceived);
        Assert.InRange(info.RttUs, 1, 1_000_000);
        Assert.True(info.CongestionWindow >= 1);
        Assert.True(info.Length >= TcpInfo.MinimumLength);
    }

    [Fact]
    public void TryRead_ClosedSocket_False()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Close();

        Assert.False(TcpInfoReader.TryRead(socket, out var info));
        Assert.Null(info);
    }

    [Fact]
    public void Csv_RoundTrip_SameSamples()
    {
        var info = TcpInfo.Decode(Recorded());
        var old = TcpInfo.Decode(Recorded().AsSpan(0, TcpInfo.MinimumLength));
        TcpInfoSample[] samples = [new(0.5, info), new(1.25, old)];

        var back = TcpInfoCsv.Read(TcpInfoCsv.Write(samples));

        Assert.Equal(samples, back);
    }

    [Fact]
    public void Csv_LineOfAnotherShape_FormatException()
    {
        Assert.Throws<FormatException>(() => TcpInfoCsv.Read("header\n1,2,3\n"));
    }
}
