using System.Globalization;
using System.Text;

namespace SocketsNotebooks.Troubleshooting;

/// <summary>
/// Which process holds which TCP socket, read the way <c>ss -tanp</c> and <c>lsof -i</c> find it on Linux:
/// the kernel's socket table (<c>/proc/net/tcp</c>) names each socket by an inode number, and every open file
/// descriptor of a process is a link in <c>/proc/&lt;pid&gt;/fd/</c>; a socket's link reads <c>socket:[inode]</c>.
/// Match the two and you have the owner. Only processes this user may look into are seen (root sees all).
/// </summary>
public static class SocketOwners
{
    /// <summary>Whether this machine has the files to look in (Linux).</summary>
    public static bool Available => File.Exists(ProcNetTcp.Tcp4Path) && Directory.Exists("/proc/self/fd");

    /// <summary>
    /// The sockets of every process this user can see, optionally only those whose local or remote port is
    /// <paramref name="port"/>; listeners first. Empty where <see cref="Available"/> is false.
    /// </summary>
    public static IReadOnlyList<SocketOwner> Find(int? port = null)
    {
        if (!Available)
        {
            return [];
        }
        var rows = new List<(SocketRow Row, long Inode)>();
        foreach (string path in new[] { ProcNetTcp.Tcp4Path, ProcNetTcp.Tcp6Path }.Where(File.Exists))
        {
            rows.AddRange(ProcNetTcp.ParseWithInodes(File.ReadAllText(path), path)
                .Where(r => r.Inode != 0 && (port is null || r.Row.Involves(port.Value))));
        }
        var owners = OpenSockets(rows.Select(r => r.Inode).ToHashSet());
        return [.. rows
            .SelectMany(r => owners.TryGetValue(r.Inode, out var held) ? held.Select(h => new SocketOwner(h.Pid, h.Process, h.Fd, r.Row)) : [])
            .OrderBy(o => o.Socket.State == "LISTEN" ? 0 : 1).ThenBy(o => o.Socket.LocalPort()).ThenBy(o => o.Socket.RemotePort())];
    }

    /// <summary>The rows the way <c>ss -tanp</c> prints them: state, queues, addresses, then <c>users:(("name",pid=…,fd=…))</c>.</summary>
    public static string Format(IEnumerable<SocketOwner> owners)
    {
        ArgumentNullException.ThrowIfNull(owners);
        var all = owners.ToArray();
        int local = Math.Max("Local Address".Length, all.Select(o => o.Socket.Local.Length).DefaultIfEmpty().Max());
        int remote = Math.Max("Peer Address".Length, all.Select(o => o.Socket.Remote.Length).DefaultIfEmpty().Max());
        var text = new StringBuilder($"{"State",-12} {"Recv-Q",7} {"Send-Q",7} {"Local Address".PadRight(local)} {"Peer Address".PadRight(remote)} Process");
        foreach (var o in all)
        {
            text.Append('\n').Append(CultureInfo.InvariantCulture,
                $"{o.Socket.State,-12} {SocketRow.Queue(o.Socket.RecvQ),7} {SocketRow.Queue(o.Socket.SendQ),7} {o.Socket.Local.PadRight(local)} "
                + $"{o.Socket.Remote.PadRight(remote)} users:((\"{o.Process}\",pid={o.Pid},fd={o.Fd}))");
        }
        return text.ToString();
    }

    // inode → every (pid, name, fd) holding it: a socket can be shared, e.g. by a parent and its child.
    private static Dictionary<long, List<(int Pid, string Process, int Fd)>> OpenSockets(HashSet<long> wanted)
    {
        var held = new Dictionary<long, List<(int, string, int)>>();
        foreach (string dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out int pid))
            {
                continue;
            }
            try
            {
                string? name = null;
                foreach (string fd in Directory.EnumerateFileSystemEntries(Path.Combine(dir, "fd")))
                {
                    string? target = new FileInfo(fd).LinkTarget;
                    if (target is null || !target.StartsWith("socket:[", StringComparison.Ordinal)
                        || !long.TryParse(target.AsSpan(8, target.Length - 9), NumberStyles.None, CultureInfo.InvariantCulture, out long inode)
                        || !wanted.Contains(inode))
                    {
                        continue;
                    }
                    name ??= File.ReadAllText(Path.Combine(dir, "comm")).Trim();
                    if (!held.TryGetValue(inode, out var list))
                    {
                        held[inode] = list = [];
                    }
                    list.Add((pid, name, int.Parse(Path.GetFileName(fd), CultureInfo.InvariantCulture)));
                }
            }
            catch (Exception e) when (e is UnauthorizedAccessException or IOException)
            {
                // Another user's process, or one that ended while we looked: ss skips it too.
            }
        }
        return held;
    }
}
