using System.Buffers.Binary;
using SocketsNotebooks.Troubleshooting;

namespace SocketsNotebooks.Inside;

/// <summary>
/// What Linux knows about one TCP connection at one moment: <c>getsockopt(TCP_INFO)</c>'s <c>struct tcp_info</c>,
/// the fields the course talks about. Times are in microseconds as the kernel reports them; windows and byte
/// counts in bytes; the congestion window in segments. A field the kernel's answer was too short to hold
/// (an older kernel) is null.
/// </summary>
/// <param name="State">The connection's state code (1 ESTABLISHED … 10 LISTEN), as in <c>/proc/net/tcp</c>.</param>
/// <param name="Retransmits">Retransmissions of the segment now waiting for its ACK (0 when none is overdue).</param>
/// <param name="Probes">Zero-window (or keepalive) probes sent without an answer.</param>
/// <param name="RtoUs">The retransmission timeout: how long the sender waits for an ACK before sending again.</param>
/// <param name="SendMss">The largest segment this side sends (maximum segment size).</param>
/// <param name="ReceiveMss">The largest segment seen from the peer.</param>
/// <param name="Unacked">Segments sent and not acknowledged yet ("in flight").</param>
/// <param name="Lost">Segments the sender believes were lost.</param>
/// <param name="RttUs">The smoothed round-trip time.</param>
/// <param name="RttVarUs">How much the round-trip time varies.</param>
/// <param name="SlowStartThreshold">Where slow start stops doubling the congestion window (a huge number until the first loss).</param>
/// <param name="CongestionWindow">How many segments the sender may have in flight (the congestion window, cwnd).</param>
/// <param name="TotalRetransmits">Segments retransmitted over the connection's life.</param>
/// <param name="BytesAcked">Bytes the peer has acknowledged.</param>
/// <param name="BytesReceived">Bytes received from the peer.</param>
/// <param name="SegmentsOut">Segments sent, acknowledgements included.</param>
/// <param name="SegmentsIn">Segments received.</param>
/// <param name="NotSentBytes">Bytes in the send buffer that have not gone onto the wire yet.</param>
/// <param name="PeerWindow">The window the peer advertised last, scaled, in bytes (Linux 5.4 and later).</param>
/// <param name="ReceiveWindow">The window this side advertises, scaled, in bytes (Linux 6.2 and later).</param>
/// <param name="Length">How many bytes of <c>struct tcp_info</c> the kernel filled in.</param>
public sealed record TcpInfo(
    int State, int Retransmits, int Probes, long RtoUs, long SendMss, long ReceiveMss, long Unacked, long Lost,
    long RttUs, long RttVarUs, long SlowStartThreshold, long CongestionWindow, long TotalRetransmits,
    long? BytesAcked, long? BytesReceived, long? SegmentsOut, long? SegmentsIn, long? NotSentBytes,
    long? PeerWindow, long? ReceiveWindow, int Length)
{
    // Offsets in struct tcp_info (include/uapi/linux/tcp.h). The struct only ever grows at its end, and the
    // kernel copies min(its size, the caller's buffer) bytes and reports that length, so each field is read
    // only when the length covers it.
    private const int RtoOffset = 8, SendMssOffset = 16, ReceiveMssOffset = 20, UnackedOffset = 24, LostOffset = 32;
    private const int RttOffset = 68, RttVarOffset = 72, SsthreshOffset = 76, CwndOffset = 80, TotalRetransOffset = 100;
    private const int BytesAckedOffset = 120, BytesReceivedOffset = 128, SegsOutOffset = 136, SegsInOffset = 140;
    private const int NotSentOffset = 144, PeerWindowOffset = 228, ReceiveWindowOffset = 232;

    /// <summary>The smallest answer decoded: everything up to <c>tcpi_total_retrans</c> (Linux 2.6).</summary>
    public const int MinimumLength = TotalRetransOffset + 4;

    /// <summary>The state's name, as <c>netstat</c> prints it (ESTABLISHED, FIN_WAIT2, TIME_WAIT...).</summary>
    public string StateName => ProcNetTcp.StateName(State);

    /// <summary>The smoothed round-trip time in milliseconds.</summary>
    public double RttMs => RttUs / 1000.0;

    /// <summary>The retransmission timeout in milliseconds.</summary>
    public double RtoMs => RtoUs / 1000.0;

    /// <summary>
    /// Decodes the bytes <c>getsockopt(IPPROTO_TCP, TCP_INFO)</c> returned (only as many as it filled in).
    /// Fewer than <see cref="MinimumLength"/> bytes throw <see cref="FormatException"/>.
    /// </summary>
    public static TcpInfo Decode(ReadOnlySpan<byte> info)
    {
        if (info.Length < MinimumLength)
        {
            throw new FormatException($"struct tcp_info of {info.Length} bytes: at least {MinimumLength} are needed");
        }
        // The kernel writes the struct in the machine's own byte order; every Linux .NET runs on is little-endian.
        return new TcpInfo(
            State: info[0], Retransmits: info[2], Probes: info[3],
            RtoUs: U32(info, RtoOffset), SendMss: U32(info, SendMssOffset), ReceiveMss: U32(info, ReceiveMssOffset),
            Unacked: U32(info, UnackedOffset), Lost: U32(info, LostOffset),
            RttUs: U32(info, RttOffset), RttVarUs: U32(info, RttVarOffset), SlowStartThreshold: U32(info, SsthreshOffset),
            CongestionWindow: U32(info, CwndOffset), TotalRetransmits: U32(info, TotalRetransOffset),
            BytesAcked: Opt64(info, BytesAckedOffset), BytesReceived: Opt64(info, BytesReceivedOffset),
            SegmentsOut: Opt32(info, SegsOutOffset), SegmentsIn: Opt32(info, SegsInOffset), NotSentBytes: Opt32(info, NotSentOffset),
            PeerWindow: Opt32(info, PeerWindowOffset), ReceiveWindow: Opt32(info, ReceiveWindowOffset), Length: info.Length);
    }

    private static long U32(ReadOnlySpan<byte> info, int offset) => BinaryPrimitives.ReadUInt32LittleEndian(info[offset..]);

    private static long? Opt32(ReadOnlySpan<byte> info, int offset) => info.Length >= offset + 4 ? U32(info, offset) : null;

    private static long? Opt64(ReadOnlySpan<byte> info, int offset) =>
        info.Length >= offset + 8 ? (long)BinaryPrimitives.ReadUInt64LittleEndian(info[offset..]) : null;

    /// <summary>The fields the course talks about, one row each, with the kernel's name and a short meaning.</summary>
    public IReadOnlyList<TcpInfoField> Fields()
    {
        var culture = System.Globalization.CultureInfo.InvariantCulture;
        string Bytes(long? value) => value is { } v ? v.ToString("N0", culture) + " bytes" : "(not reported)";
        return
        [
            new("tcpi_state", StateName, "where the connection is in TCP's state machine"),
            new("tcpi_rtt", $"{RttUs.ToString("N0", culture)} µs", "smoothed round-trip time: a segment there and its ACK back"),
            new("tcpi_rttvar", $"{RttVarUs.ToString("N0", culture)} µs", "how much the round trip varies"),
            new("tcpi_rto", $"{RtoMs.ToString("0", culture)} ms", "retransmission timeout: how long to wait for an ACK before sending again"),
            new("tcpi_snd_cwnd", $"{CongestionWindow} segments", "congestion window: how many segments may be unacknowledged at once"),
            new("tcpi_snd_ssthresh", SlowStartThreshold >= int.MaxValue ? "unlimited" : $"{SlowStartThreshold} segments",
                "slow-start threshold: set at the first loss; until then the window doubles every round trip"),
            new("tcpi_unacked", $"{Unacked} segments", "in flight: sent, not yet acknowledged"),
            new("tcpi_snd_mss / tcpi_rcv_mss", $"{SendMss.ToString("N0", culture)} / {ReceiveMss.ToString("N0", culture)} bytes",
                "largest segment this side sends / largest seen from the peer so far"),
            new("tcpi_total_retrans", $"{TotalRetransmits}", "segments sent twice over the connection's life"),
            new("tcpi_bytes_acked", Bytes(BytesAcked), "bytes of ours the peer has acknowledged"),
            new("tcpi_bytes_received", Bytes(BytesReceived), "bytes received from the peer"),
            new("tcpi_segs_out / tcpi_segs_in", $"{SegmentsOut} / {SegmentsIn}", "segments sent / received, handshake and ACKs included"),
            new("tcpi_snd_wnd", Bytes(PeerWindow), "the window the peer advertised last: how much more it can take"),
            new("tcpi_rcv_wnd", Bytes(ReceiveWindow), "the window this side advertises to the peer"),
        ];
    }

    /// <summary>One line such as <c>ESTABLISHED rtt 0.031 ms cwnd 10 unacked 0 retrans 0 peer window 65536</c>.</summary>
    public override string ToString() =>
        $"{StateName} rtt {RttMs:0.###} ms (±{RttVarUs / 1000.0:0.###}) rto {RtoMs:0} ms cwnd {CongestionWindow} ssthresh {SlowStartThreshold} " +
        $"unacked {Unacked} retrans {TotalRetransmits} mss {SendMss}/{ReceiveMss}" +
        (PeerWindow is { } window ? $" peer window {window}" : "");
}
