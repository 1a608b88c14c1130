using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using CsCheck;
using SocketsNotebooks.Troubleshooting;

namespace SocketsNotebooks.Tests.Troubleshooting;

public sealed class ProcNetTcpTests
{
    // Captured on the build machine (Linux 6.18, x86-64) with `cat /proc/net/tcp /proc/net/tcp6` while a Python
    // script held: a listener on 127.0.0.1:53373 (D07D) with an accepted connection from port 41344 (A180) whose
    // client had sent 1000 bytes the server had not read (rx_queue 3E8); a listener on 127.0.0.1:36787 (8FB3)
    // whose accepted connection the server had closed first (TIME_WAIT); a listener on [::1]:59393 (E801).
    // Other rows (0.0.0.0:2024, older TIME_WAITs) were on the machine already; trailing spaces trimmed.
    private const string Tcp4Sample = """
  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 0100007F:8FB3 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 27406 1 00000000748de92d 100 0 0 10 0
   1: 00000000:07E8 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1597 1 000000009afd6ad1 100 0 0 10 0
   2: 0100007F:D07D 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 27403 1 0000000060bd1214 100 0 0 10 0
   3: 0100007F:A180 0100007F:D07D 01 00000000:00000000 00:00000000 00000000     0        0 27404 2 00000000efd30d12 20 0 0 11 -1
   4: 0100007F:D07D 0100007F:A180 01 00000000:000003E8 00:00000000 00000000     0        0 27405 1 000000008a3ac0ad 20 4 32 10 -1
   5: 0100007F:DE08 0100007F:8523 06 00000000:00000000 03:00000211 00000000     0        0 0 3 0000000025ce4348
   6: 0100007F:BE1F 0100007F:8890 06 00000000:00000000 03:00001766 00000000     0        0 0 3 00000000e6b5386f
   7: 0100007F:8FB3 0100007F:C246 06 00000000:00000000 03:00001770 00000000     0        0 0 3 0000000044b113ff
   8: 0100007F:AC22 0100007F:A18D 06 00000000:00000000 03:0000024A 00000000     0        0 0 3 000000007af85799
""";

    private const string Tcp6Sample = """
  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 00000000000000000000000001000000:E801 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 27409 1 0000000059fc0c6e 100 0 0 10 0
   1: 0000000000000000FFFF00000100007F:D3DA 0000000000000000FFFF00000100007F:8C2F 06 00000000:00000000 03:00000256 00000000     0        0 0 3 000000005c2d6212
""";

    [Fact]
    public void Parse_CapturedSample_ReadsEveryRowBelowTheHeader()
    {
        Assert.Equal(9, ProcNetTcp.Parse(Tcp4Sample).Count);
        Assert.Equal(2, ProcNetTcp.Parse(Tcp6Sample).Count);
    }

    [Fact]
    public void ParseWithInodes_CapturedSample_InodeColumnRead_TimeWaitHasNone()
    {
        var rows = ProcNetTcp.ParseWithInodes(Tcp4Sample);

        Assert.Equal(27405, rows.Single(r => r.Row.Local == "127.0.0.1:53373" && r.Row.State == "ESTABLISHED").Inode);
        // A TIME_WAIT connection belongs to no process any more: the kernel prints inode 0.
        Assert.All(rows.Where(r => r.Row.State == "TIME_WAIT"), r => Assert.Equal(0, r.Inode));
    }

    [Fact]
    public void Parse_CapturedSample_ListenerAddressDecodedFromHostOrderWords()
    {
        var rows = ProcNetTcp.Parse(Tcp4Sample);

        Assert.Contains(rows, r => r is { Proto: "tcp", Local: "127.0.0.1:53373", Remote: "0.0.0.0:0", State: "LISTEN" });
        Assert.Contains(rows, r => r is { Local: "0.0.0.0:2024", State: "LISTEN" });
    }

    [Fact]
    public void Parse_CapturedSample_UnreadBytesShowInServerRecvQ()
    {
        var rows = ProcNetTcp.Parse(Tcp4Sample);

        var server = Assert.Single(rows, r => r.Local == "127.0.0.1:53373" && r.Remote == "127.0.0.1:41344");
        Assert.Equal(("ESTABLISHED", 1000, 0), (server.State, server.RecvQ, server.SendQ));
        var client = Assert.Single(rows, r => r.Local == "127.0.0.1:41344");
        Assert.Equal(("ESTABLISHED", 0, 0), (client.State, client.RecvQ, client.SendQ));
    }

    [Fact]
    public void Parse_CapturedSample_ServerThatClosedFirstIsInTimeWait()
    {
        var rows = ProcNetTcp.Parse(Tcp4Sample);

        Assert.Contains(rows, r => r is { Local: "127.0.0.1:36787", Remote: "127.0.0.1:49734", State: "TIME_WAIT" });
        Assert.Equal(4, rows.Count(r => r.State == "TIME_WAIT"));
    }

    [Fact]
    public void Parse_CapturedTcp6Sample_ReadsIPv6AndIPv4MappedAddresses()
    {
        var rows = ProcNetTcp.Parse(Tcp6Sample, ProcNetTcp.Tcp6Path);

        Assert.Contains(rows, r => r is { Proto: "tcp6", Local: "[::1]:59393", Remote: "[::]:0", State: "LISTEN", Source: ProcNetTcp.Tcp6Path });
        Assert.Contains(rows, r => r is { Local: "[::ffff:127.0.0.1]:54234", Remote: "[::ffff:127.0.0.1]:35887", State: "TIME_WAIT" });
    }

    [Theory]
    [InlineData(0x01, "ESTABLISHED")]
    [InlineData(0x06, "TIME_WAIT")]
    [InlineData(0x08, "CLOSE_WAIT")]
    [InlineData(0x0A, "LISTEN")]
    [InlineData(0x0B, "CLOSING")]
    [InlineData(0x42, "UNKNOWN(42)")]
    public void StateName_KernelCode_NetstatName(int code, string expected) =>
        Assert.Equal(expected, ProcNetTcp.StateName(code));

    [Fact]
    public void Parse_HeaderOnly_NoRows() =>
        Assert.Empty(ProcNetTcp.Parse("  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n"));

    [Theory]
    [InlineData("   0: 0100007F 00000000:0000 0A 00000000:00000000")]
    [InlineData("   0: 0100007F:ZZZZ 00000000:0000 0A 00000000:00000000")]
    [InlineData("   0: 0100007F:0050 00000000:0000 0A")]
    [InlineData("   0: 01007F:0050 00000000:0000 0A 00000000:00000000")]
    public void Parse_MalformedRow_FormatExceptionQuotingTheRow(string row)
    {
        var e = Assert.Throws<FormatException>(() => ProcNetTcp.Parse(row));
        Assert.Contains(row.Trim(), e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_AnyRowWrittenTheKernelsWay_RoundTrips()
    {
        // Addresses from 64-bit halves (an IPv4 address keeps the first 4 bytes).
        static Gen<IPEndPoint> EndPoint(int addressBytes) =>
            Gen.Select(Gen.ULong, Gen.ULong, Gen.Int[0, 65535], (high, low, port) =>
            {
                var bytes = new byte[16];
                BinaryPrimitives.WriteUInt64BigEndian(bytes, high);
                BinaryPrimitives.WriteUInt64BigEndian(bytes.AsSpan(8), low);
                return new IPEndPoint(new IPAddress(bytes.AsSpan(0, addressBytes)), port);
            });
        var rows = Gen.OneOf(Gen.Const(4), Gen.Const(16)).SelectMany(size =>
            Gen.Select(EndPoint(size), EndPoint(size), Gen.Int[1, 11], Gen.Int[0, int.MaxValue], Gen.Int[0, int.MaxValue]));
        rows.Sample(row =>
            {
                var (local, remote, state, recvQ, sendQ) = row;
                string line = $"   7: {Kernel(local)} {Kernel(remote)} {state:X2} {sendQ:X8}:{recvQ:X8} 00:00000000 00000000  1000  0 12345 1";
                var parsed = Assert.Single(ProcNetTcp.Parse(line));
                Assert.Equal(local.ToString(), parsed.Local);
                Assert.Equal(remote.ToString(), parsed.Remote);
                Assert.Equal(ProcNetTcp.StateName(state), parsed.State);
                Assert.Equal((recvQ, sendQ), (parsed.RecvQ, parsed.SendQ));
            }, seed: "0N0XIzNsQ0O2");
    }

    /// <summary>How the kernel prints an endpoint on a little-endian machine: each 32-bit word of the address as a host-order number.</summary>
    private static string Kernel(IPEndPoint endPoint)
    {
        byte[] bytes = endPoint.Address.GetAddressBytes();
        string words = string.Concat(Enumerable.Range(0, bytes.Length / 4)
            .Select(i => BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(i * 4, 4)).ToString("X8", CultureInfo.InvariantCulture)));
        return $"{words}:{endPoint.Port:X4}";
    }
}
