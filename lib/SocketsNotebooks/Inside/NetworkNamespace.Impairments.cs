using System.Globalization;

namespace SocketsNotebooks.Inside;

public sealed partial class NetworkNamespace
{
    /// <summary>
    /// Delays every packet on the namespace's loopback by <paramref name="delay"/> with <c>tc netem</c> (so a
    /// round trip takes twice that). False, with the tool's answer, where the kernel has no netem
    /// (<c>CONFIG_NET_SCH_NETEM</c>) or <c>tc</c> is missing: nothing else can make a fixed delay.
    /// </summary>
    public bool TryDelay(TimeSpan delay, out string result) =>
        TryNetem($"delay {delay.TotalMilliseconds.ToString(CultureInfo.InvariantCulture)}ms", out result);

    /// <summary>
    /// Drops <paramref name="percent"/> % of the TCP segments on the namespace's loopback, chosen at random:
    /// with netem where the kernel has it (added to a delay already there), otherwise with an nftables rule
    /// (<c>numgen random mod 100 &lt; N drop</c>) where packets come in. SYNs are spared so that a lost SYN (one
    /// second before the retry) does not stall the experiment. False, with the reason, when neither works.
    /// </summary>
    public bool TryLoss(int percent, out string result)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(percent, nameof(percent));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(percent, 100, nameof(percent));
        string delay = _impairments.FirstOrDefault(i => i.StartsWith("netem delay", StringComparison.Ordinal))?["netem ".Length..] ?? "";
        if (TryNetem($"{delay} loss {percent}%".Trim(), out string netem))
        {
            result = netem;
            return true;
        }
        string ruleset = $$"""
            table inet socknb {
              chain input {
                type filter hook input priority 0; policy accept;
                tcp flags & syn == 0 numgen random mod 100 < {{percent}} counter drop
              }
            }
            """;
        var (exit, _, error) = Command.TryRun("ip", ruleset, "netns", "exec", Name, "nft", "-f", "-");
        if (exit != 0)
        {
            result = $"no netem ({netem}) and no nftables either ({error.Trim()}; Debian: apt-get install nftables)";
            return false;
        }
        // On the way in, not out: a packet dropped on the output hook fails the sender's own transmit call, and its
        // TCP simply sends it again later without any loss on the wire. Dropped on input, it was sent and vanished.
        result = $"nftables: drop {percent}% of TCP segments (not SYNs) as they arrive";
        _impairments.Add(result);
        return true;
    }

    /// <summary>How many packets the nftables loss rule dropped so far (null without that rule).</summary>
    public long? DroppedByRule()
    {
        var (exit, output, _) = Command.TryRun("ip", null, "netns", "exec", Name, "nft", "list", "table", "inet", "socknb");
        int at = output.IndexOf("counter packets ", StringComparison.Ordinal);
        if (exit != 0 || at < 0)
        {
            return null;
        }
        string number = new([.. output[(at + "counter packets ".Length)..].TakeWhile(char.IsDigit)]);
        return long.Parse(number, CultureInfo.InvariantCulture);
    }

    private bool TryNetem(string arguments, out string result)
    {
        var args = new List<string> { "-n", Name, "qdisc", "replace", "dev", "lo", "root", "netem" };
        args.AddRange(arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries));
        var (exit, _, error) = Command.TryRun("tc", null, [.. args]);
        if (exit != 0)
        {
            result = error.Trim().Length > 0 ? error.Trim() : $"tc exit code {exit}";
            return false;
        }
        result = $"netem {arguments}";
        _impairments.Add(result);
        return true;
    }
}
