using System.Globalization;
using System.Text;

namespace SocketsNotebooks.Inside;

/// <summary>TCP_INFO samples as CSV: how a recorded run keeps them (Recordings/loss-tcpinfo.csv), one line per sample.</summary>
public static class TcpInfoCsv
{
    private const string Header =
        "time_ms,state,retransmits,probes,rto_us,snd_mss,rcv_mss,unacked,lost,rtt_us,rttvar_us,snd_ssthresh,snd_cwnd,total_retrans," +
        "bytes_acked,bytes_received,segs_out,segs_in,notsent_bytes,snd_wnd,rcv_wnd,length";

    /// <summary>The samples as CSV text, a header line first; a field the kernel did not report is empty.</summary>
    public static string Write(IEnumerable<TcpInfoSample> samples)
    {
        ArgumentNullException.ThrowIfNull(samples);
        var text = new StringBuilder(Header).Append('\n');
        foreach (var (ms, i) in samples)
        {
            object?[] fields =
            [
                ms, i.State, i.Retransmits, i.Probes, i.RtoUs, i.SendMss, i.ReceiveMss, i.Unacked, i.Lost, i.RttUs, i.RttVarUs,
                i.SlowStartThreshold, i.CongestionWindow, i.TotalRetransmits, i.BytesAcked, i.BytesReceived, i.SegmentsOut,
                i.SegmentsIn, i.NotSentBytes, i.PeerWindow, i.ReceiveWindow, i.Length,
            ];
            text.AppendJoin(',', fields.Select(f => string.Format(CultureInfo.InvariantCulture, "{0}", f))).Append('\n');
        }
        return text.ToString();
    }

    /// <summary>Samples back from <see cref="Write"/>'s text. A line of another shape throws <see cref="FormatException"/>.</summary>
    public static IReadOnlyList<TcpInfoSample> Read(string csv)
    {
        ArgumentNullException.ThrowIfNull(csv);
        var samples = new List<TcpInfoSample>();
        foreach (string line in csv.Split('\n').Skip(1).Where(l => l.Trim().Length > 0))
        {
            string[] f = line.Trim().Split(',');
            if (f.Length != 22)
            {
                throw new FormatException($"a TCP_INFO sample line has 22 fields, this one {f.Length}: {line}");
            }
            long L(int i) => long.Parse(f[i], CultureInfo.InvariantCulture);
            long? N(int i) => f[i].Length == 0 ? null : L(i);
            var info = new TcpInfo((int)L(1), (int)L(2), (int)L(3), L(4), L(5), L(6), L(7), L(8), L(9), L(10), L(11), L(12), L(13),
                N(14), N(15), N(16), N(17), N(18), N(19), N(20), (int)L(21));
            samples.Add(new TcpInfoSample(double.Parse(f[0], CultureInfo.InvariantCulture), info));
        }
        return samples;
    }
}
