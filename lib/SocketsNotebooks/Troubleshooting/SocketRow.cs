using System.Globalization;

namespace SocketsNotebooks.Troubleshooting;

/// <summary>
/// One TCP socket as <c>netstat -tan</c> / <c>ss -tan</c> shows it. A list of these displays as a table.
/// </summary>
/// <param name="Proto"><c>tcp</c> (IPv4) or <c>tcp6</c> (IPv6, including IPv4-mapped addresses).</param>
/// <param name="Local">The local address and port, e.g. <c>127.0.0.1:65432</c>.</param>
/// <param name="Remote">The peer's address and port; <c>0.0.0.0:0</c> for a listening socket.</param>
/// <param name="State">The TCP state in netstat's words: LISTEN, ESTABLISHED, TIME_WAIT, CLOSE_WAIT, …</param>
/// <param name="RecvQ">
/// Bytes that arrived but the program has not read yet (netstat's Recv-Q). For a LISTEN row, Linux
/// reports the accept backlog here instead: connections waiting for <c>accept()</c>. Null when the OS does not say.
/// </param>
/// <param name="SendQ">Bytes the program sent that the peer has not acknowledged yet (netstat's Send-Q). Null when the OS does not say.</param>
/// <param name="Source">Where the row came from: <c>/proc/net/tcp</c>, <c>/proc/net/tcp6</c>, or <c>IPGlobalProperties (no queues)</c>.</param>
public sealed record SocketRow(
    string Proto,
    string Local,
    string Remote,
    string State,
    int? RecvQ,
    int? SendQ,
    string Source)
{
    /// <summary>The port of <see cref="Local"/>.</summary>
    public int LocalPort() => PortOf(Local);

    /// <summary>The port of <see cref="Remote"/>.</summary>
    public int RemotePort() => PortOf(Remote);

    /// <summary>Whether this socket's local or remote port is <paramref name="port"/> (what <c>ss sport = :N or dport = :N</c> matches).</summary>
    public bool Involves(int port) => LocalPort() == port || RemotePort() == port;

    /// <summary>One line, netstat's order: <c>tcp 127.0.0.1:65432 → 127.0.0.1:50110 ESTABLISHED Recv-Q 1000 Send-Q 0</c>.</summary>
    public override string ToString() =>
        $"{Proto} {Local} → {Remote} {State} Recv-Q {Queue(RecvQ)} Send-Q {Queue(SendQ)}";

    internal static string Queue(int? size) => size?.ToString(CultureInfo.InvariantCulture) ?? "-";

    private static int PortOf(string endPoint) =>
        int.Parse(endPoint.AsSpan(endPoint.LastIndexOf(':') + 1), NumberStyles.None, CultureInfo.InvariantCulture);
}
