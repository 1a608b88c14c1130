using System.Buffers.Binary;
using System.Globalization;
using System.Net;

namespace SocketsNotebooks.Troubleshooting;

/// <summary>
/// Reads Linux's <c>/proc/net/tcp</c> and <c>/proc/net/tcp6</c>: the kernel's own table of TCP sockets,
/// which is where <c>netstat</c> gets its Recv-Q and Send-Q columns. The parser is pure (text in, rows out)
/// so it is tested on a captured sample.
/// </summary>
public static class ProcNetTcp
{
    /// <summary>The IPv4 table.</summary>
    public const string Tcp4Path = "/proc/net/tcp";

    /// <summary>The IPv6 table (IPv4-mapped connections of dual-stack sockets show up here too).</summary>
    public const string Tcp6Path = "/proc/net/tcp6";

    // include/net/tcp_states.h; NEW_SYN_RECV (0C) is a request socket that newer kernels may list.
    private static readonly string[] s_states =
    [
        "UNKNOWN", "ESTABLISHED", "SYN_SENT", "SYN_RECV", "FIN_WAIT1", "FIN_WAIT2", "TIME_WAIT",
        "CLOSE", "CLOSE_WAIT", "LAST_ACK", "LISTEN", "CLOSING", "NEW_SYN_RECV",
    ];

    /// <summary>netstat's name for a state code of the <c>st</c> column (0x01 ESTABLISHED … 0x0A LISTEN, 0x0B CLOSING).</summary>
    public static string StateName(int code) => code >= 1 && code < s_states.Length ? s_states[code] : $"UNKNOWN({code:X2})";

    /// <summary>
    /// Parses the text of <c>/proc/net/tcp</c> or <c>/proc/net/tcp6</c> (the header line is skipped; the
    /// address width tells the two apart). Malformed lines throw <see cref="FormatException"/> naming the line.
    /// </summary>
    /// <param name="text">The file's content.</param>
    /// <param name="source">What to put in <see cref="SocketRow.Source"/>.</param>
    public static IReadOnlyList<SocketRow> Parse(string text, string source = "/proc/net/tcp") =>
        [.. ParseWithInodes(text, source).Select(r => r.Row)];

    /// <summary>
    /// Like <see cref="Parse"/>, with each socket's inode: the number a process's <c>/proc/&lt;pid&gt;/fd/N</c>
    /// link names (<c>socket:[inode]</c>) when that process holds the socket.
    /// </summary>
    public static IReadOnlyList<(SocketRow Row, long Inode)> ParseWithInodes(string text, string source = "/proc/net/tcp")
    {
        ArgumentNullException.ThrowIfNull(text);
        var rows = new List<(SocketRow, long)>();
        foreach (string line in text.Split('\n'))
        {
            string trimmed = line.Trim();
            if (trimmed.Length == 0 || trimmed.StartsWith("sl", StringComparison.Ordinal))
            {
                continue;
            }
            rows.Add(ParseLine(trimmed, source));
        }
        return rows;
    }

    /// <summary>Reads both live tables; empty where a file does not exist (not Linux, or no IPv6).</summary>
    public static IReadOnlyList<SocketRow> ReadLive()
    {
        var rows = new List<SocketRow>();
        foreach (string path in new[] { Tcp4Path, Tcp6Path })
        {
            if (File.Exists(path))
            {
                rows.AddRange(Parse(File.ReadAllText(path), path));
            }
        }
        return rows;
    }

    private static (SocketRow Row, long Inode) ParseLine(string line, string source)
    {
        // "sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode ..."
        string[] fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length < 5 || !fields[0].EndsWith(':'))
        {
            throw new FormatException($"Not a /proc/net/tcp row: '{line}'.");
        }
        try
        {
            var local = ParseEndPoint(fields[1]);
            var remote = ParseEndPoint(fields[2]);
            int state = int.Parse(fields[3], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            string[] queues = fields[4].Split(':');
            int sendQ = ParseQueue(queues[0]);
            int recvQ = ParseQueue(queues[1]);
            string proto = local.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? "tcp6" : "tcp";
            // A captured sample may stop before the inode column; 0 is what the kernel prints for "none".
            long inode = fields.Length > 9 ? long.Parse(fields[9], CultureInfo.InvariantCulture) : 0;
            return (new SocketRow(proto, local.ToString(), remote.ToString(), StateName(state), recvQ, sendQ, source), inode);
        }
        catch (Exception e) when (e is FormatException or OverflowException or IndexOutOfRangeException or ArgumentException)
        {
            throw new FormatException($"Not a /proc/net/tcp row: '{line}' ({e.Message})", e);
        }
    }

    private static int ParseQueue(string hex) =>
        (int)Math.Min(uint.Parse(hex, NumberStyles.HexNumber, CultureInfo.InvariantCulture), int.MaxValue);

    /// <summary>
    /// "0100007F:D07D" is 127.0.0.1:53373. The kernel prints the address as 32-bit words in the host's
    /// byte order (so 127.0.0.1 reads backwards on x86/ARM), and the port as a plain number.
    /// </summary>
    private static IPEndPoint ParseEndPoint(string field)
    {
        int colon = field.IndexOf(':');
        if (colon != 8 && colon != 32)
        {
            throw new FormatException($"address '{field}' is neither 8 (IPv4) nor 32 (IPv6) hex digits");
        }
        var bytes = new byte[colon / 2];
        for (int word = 0; word < colon / 8; word++)
        {
            uint value = uint.Parse(field.AsSpan(word * 8, 8), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            var span = bytes.AsSpan(word * 4, 4);
            // Undo the host order of the word: what is in memory is the address in network order.
            if (BitConverter.IsLittleEndian)
            {
                BinaryPrimitives.WriteUInt32LittleEndian(span, value);
            }
            else
            {
                BinaryPrimitives.WriteUInt32BigEndian(span, value);
            }
        }
        int port = int.Parse(field.AsSpan(colon + 1), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        return new IPEndPoint(new IPAddress(bytes), port);
    }
}
