using System.Globalization;
using System.Net.NetworkInformation;

namespace NotebookRunner.Tests;

/// <summary>
/// The TCP sockets in LISTEN state that belong to some processes — a notebook's kernel. On Linux
/// that is exact: the kernel's socket table (/proc/net/tcp, tcp6 — what the library's
/// Troubleshooting/SocketTable reads) joined with those processes' open file descriptors, so other
/// programs on the machine (the other test runs sharing it) never count. Elsewhere it falls back to
/// the BCL's list of every listener on the machine.
/// </summary>
internal static class ListeningSockets
{
    private const string Listen = "0A";

    /// <summary>One line per listening socket of <paramref name="processIds"/>, e.g. "127.0.0.1:41234 (inode 81234)".</summary>
    public static IReadOnlySet<string> Of(IEnumerable<int> processIds) =>
        OperatingSystem.IsLinux() && File.Exists("/proc/net/tcp") ? OnLinux(processIds) : Machine();

    private static HashSet<string> OnLinux(IEnumerable<int> processIds)
    {
        var ownInodes = new HashSet<string>(StringComparer.Ordinal);
        foreach (string fd in processIds.SelectMany(Descriptors))
        {
            try
            {
                // A socket descriptor links to "socket:[<inode>]".
                if (new FileInfo(fd).LinkTarget is { } target && target.StartsWith("socket:[", StringComparison.Ordinal))
                {
                    ownInodes.Add(target["socket:[".Length..^1]);
                }
            }
            catch (IOException)
            {
                // The descriptor closed between listing and reading it: not open any more.
            }
        }

        var listening = new HashSet<string>(StringComparer.Ordinal);
        foreach (string table in new[] { "/proc/net/tcp", "/proc/net/tcp6" }.Where(File.Exists))
        {
            foreach (string line in File.ReadLines(table).Skip(1))
            {
                string[] fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (fields.Length > 9 && fields[3] == Listen && ownInodes.Contains(fields[9]))
                {
                    listening.Add($"{Endpoint(fields[1])} (inode {fields[9]})");
                }
            }
        }

        return listening;
    }

    private static string[] Descriptors(int pid)
    {
        try
        {
            return Directory.GetFiles($"/proc/{pid}/fd");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return []; // the process has ended
        }
    }

    private static HashSet<string> Machine() =>
        IPGlobalProperties.GetIPGlobalProperties().GetActiveTcpListeners().Select(e => e.ToString()).ToHashSet(StringComparer.Ordinal);

    // "0100007F:A0C2" → "127.0.0.1:41154" (IPv4 is stored as a little-endian word); IPv6 stays hex.
    private static string Endpoint(string hex)
    {
        string[] parts = hex.Split(':');
        int port = int.Parse(parts[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        if (parts[0].Length == 8)
        {
            uint address = uint.Parse(parts[0], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            return $"{address & 0xFF}.{(address >> 8) & 0xFF}.{(address >> 16) & 0xFF}.{address >> 24}:{port}";
        }

        return $"[{parts[0]}]:{port}";
    }
}
