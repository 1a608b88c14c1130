using System.Net.NetworkInformation;

namespace SocketsNotebooks.Troubleshooting;

/// <summary>
/// A <c>netstat -tan</c> / <c>ss -tan</c> you can call from a cell: every TCP socket on this machine,
/// with its state and, on Linux, its receive and send queues.
/// </summary>
public static class SocketTable
{
    /// <summary>The <see cref="SocketRow.Source"/> of rows from the portable fallback, which has no queue sizes.</summary>
    public const string PortableSource = "IPGlobalProperties (no queues)";

    /// <summary>Whether this machine reports queue sizes (Linux's /proc/net/tcp is there).</summary>
    public static bool HasQueues => File.Exists(ProcNetTcp.Tcp4Path);

    /// <summary>
    /// The sockets right now, optionally only those whose local or remote port is <paramref name="port"/>;
    /// listeners first, then by local port. On Linux from /proc/net/tcp(6) with Recv-Q and Send-Q;
    /// elsewhere from the BCL's <see cref="IPGlobalProperties"/>, whose rows leave the queues empty.
    /// </summary>
    public static IReadOnlyList<SocketRow> Snapshot(int? port = null) =>
        Arrange(HasQueues ? ProcNetTcp.ReadLive() : Portable(), port);

    /// <summary>
    /// The snapshot every OS can give, from <see cref="IPGlobalProperties"/>: states but no queue sizes
    /// (<see cref="SocketRow.RecvQ"/> and <see cref="SocketRow.SendQ"/> are null). <see cref="Snapshot"/> uses it where
    /// /proc/net/tcp does not exist; call it directly to compare the two.
    /// </summary>
    public static IReadOnlyList<SocketRow> PortableSnapshot(int? port = null) => Arrange(Portable(), port);

    private static IReadOnlyList<SocketRow> Arrange(IEnumerable<SocketRow> rows, int? port) =>
        rows
            .Where(r => port is null || r.Involves(port.Value))
            .OrderBy(r => r.State == "LISTEN" ? 0 : 1)
            .ThenBy(r => r.LocalPort())
            .ThenBy(r => r.RemotePort())
            .ToArray();

    /// <summary>
    /// The rows as <c>netstat -tan</c> prints them (Proto, Recv-Q, Send-Q, Local Address, Foreign Address, State),
    /// in aligned columns; a queue the OS does not report shows as <c>-</c>.
    /// </summary>
    public static string Format(IEnumerable<SocketRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var all = rows.ToArray();
        int local = Math.Max("Local Address".Length, all.Select(r => r.Local.Length).DefaultIfEmpty().Max());
        int remote = Math.Max("Foreign Address".Length, all.Select(r => r.Remote.Length).DefaultIfEmpty().Max());
        var text = new System.Text.StringBuilder();
        text.Append($"{"Proto",-5} {"Recv-Q",7} {"Send-Q",7} {"Local Address".PadRight(local)} {"Foreign Address".PadRight(remote)} State");
        foreach (var row in all)
        {
            text.Append('\n').Append($"{row.Proto,-5} {SocketRow.Queue(row.RecvQ),7} {SocketRow.Queue(row.SendQ),7} {row.Local.PadRight(local)} {row.Remote.PadRight(remote)} {row.State}");
        }
        return text.ToString();
    }

    private static IReadOnlyList<SocketRow> Portable()
    {
        var properties = IPGlobalProperties.GetIPGlobalProperties();
        var listeners = properties.GetActiveTcpListeners()
            .Select(l => new SocketRow(Proto(l.AddressFamily), l.ToString(), "0.0.0.0:0", "LISTEN", null, null, PortableSource));
        var connections = properties.GetActiveTcpConnections()
            .Select(c => new SocketRow(Proto(c.LocalEndPoint.AddressFamily), c.LocalEndPoint.ToString(), c.RemoteEndPoint.ToString(),
                StateName(c.State), null, null, PortableSource));
        return listeners.Concat(connections).ToArray();
    }

    private static string Proto(System.Net.Sockets.AddressFamily family) =>
        family == System.Net.Sockets.AddressFamily.InterNetworkV6 ? "tcp6" : "tcp";

    private static string StateName(TcpState state) => state switch
    {
        TcpState.Listen => "LISTEN",
        TcpState.SynSent => "SYN_SENT",
        TcpState.SynReceived => "SYN_RECV",
        TcpState.Established => "ESTABLISHED",
        TcpState.FinWait1 => "FIN_WAIT1",
        TcpState.FinWait2 => "FIN_WAIT2",
        TcpState.CloseWait => "CLOSE_WAIT",
        TcpState.Closing => "CLOSING",
        TcpState.LastAck => "LAST_ACK",
        TcpState.TimeWait => "TIME_WAIT",
        TcpState.Closed => "CLOSE",
        _ => state.ToString().ToUpperInvariant(),
    };
}
