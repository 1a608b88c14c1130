using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using SocketsNotebooks.Troubleshooting;

namespace SocketsNotebooks.Tests.Inside;

/// <summary>
/// A .pcap as Debian's <c>tcpdump -r FILE -nn -tt</c> reads it, one line per segment, and the check that our
/// reading of the same file agrees: same segments in the same order, same time, endpoints, flags and length; the
/// same relative seq and ack wherever tcpdump prints them relative (not on SYNs); and the same window once
/// tcpdump's raw 16-bit field is multiplied by the scale the sender's SYN announced.
/// </summary>
internal static partial class TcpdumpReading
{
    public sealed record Line(decimal Seconds, string From, string To, string Flags, long? Seq, long? Ack, long Win, int Length, int? WindowScale);

    public static IReadOnlyList<Line> Read(string tcpdump, string pcap)
    {
        var start = new ProcessStartInfo(tcpdump) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string arg in new[] { "-r", pcap, "-nn", "-tt" })
        {
            start.ArgumentList.Add(arg);
        }
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(TimeSpan.FromSeconds(30)), "tcpdump -r did not finish within 30 s");
        Assert.True(process.ExitCode == 0, $"tcpdump -r {pcap} failed: {error.Result}");
        return [.. output.Result.Split('\n').Where(l => l.Length > 0).Select(Parse)];
    }

    public static void AssertAgrees(IReadOnlyList<Line> tcpdump, IReadOnlyList<TcpSegment> ours)
    {
        Assert.Equal(tcpdump.Count, ours.Count);
        var scale = tcpdump.Where(l => l.Flags.Contains("SYN", StringComparison.Ordinal)).ToDictionary(l => l.From, l => l.WindowScale ?? 0);
        for (int i = 0; i < ours.Count; i++)
        {
            var (t, o) = (tcpdump[i], ours[i]);
            string where = $"segment #{o.No}: ours {o}, tcpdump {t}";
            Assert.True(Math.Abs((double)((t.Seconds - tcpdump[0].Seconds) * 1000m) - o.TimeMs) < 0.002, where);
            Assert.True((t.From, t.To, t.Flags, t.Length) == (o.Source, o.Destination, o.Flags, o.Length), where);
            bool syn = t.Flags.Contains("SYN", StringComparison.Ordinal);
            Assert.True(syn || t.Seq is null || t.Seq == o.Seq, where);
            Assert.True(syn || t.Ack is null || t.Ack == o.Ack, where);
            Assert.True((syn ? t.Win : t.Win << scale.GetValueOrDefault(t.From)) == o.Window, where);
        }
    }

    // 1796623620.360255 IP 127.0.0.1.60106 > 127.0.0.1.39117: Flags [P.], seq 1:2001, ack 1, win 64, options [...], length 2000
    private static Line Parse(string text)
    {
        var m = LinePattern().Match(text);
        Assert.True(m.Success, $"not a tcpdump TCP line: {text}");
        long? Number(string group) => m.Groups[group].Success ? long.Parse(m.Groups[group].Value, CultureInfo.InvariantCulture) : null;
        string flags = string.Join(", ", new[] { ('F', "FIN"), ('S', "SYN"), ('R', "RST"), ('P', "PSH"), ('.', "ACK"), ('U', "URG") }
            .Where(f => m.Groups["flags"].Value.Contains(f.Item1, StringComparison.Ordinal)).Select(f => f.Item2));
        var wscale = WindowScale().Match(text);
        return new Line(decimal.Parse(m.Groups["time"].Value, CultureInfo.InvariantCulture), Endpoint(m.Groups["from"].Value),
            Endpoint(m.Groups["to"].Value), flags, Number("seq"), Number("ack"), Number("win")!.Value, (int)Number("len")!.Value,
            wscale.Success ? int.Parse(wscale.Groups[1].Value, CultureInfo.InvariantCulture) : null);
    }

    // tcpdump writes address.port; the library writes address:port.
    private static string Endpoint(string dotted)
    {
        int last = dotted.LastIndexOf('.');
        return $"{dotted[..last]}:{dotted[(last + 1)..]}";
    }

    [GeneratedRegex(@"^(?<time>\d+\.\d+) IP (?<from>[\d.]+) > (?<to>[\d.]+): Flags \[(?<flags>[^\]]*)\](, seq (?<seq>\d+)(:\d+)?)?(, ack (?<ack>\d+))?, win (?<win>\d+),.* length (?<len>\d+)")]
    private static partial Regex LinePattern();

    [GeneratedRegex(@"wscale (\d+)")]
    private static partial Regex WindowScale();
}
