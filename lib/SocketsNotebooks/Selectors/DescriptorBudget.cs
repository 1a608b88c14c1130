using System.Runtime.InteropServices;

namespace SocketsNotebooks.Selectors;

/// <summary>
/// How many connections a <see cref="SelectorServer"/> may hold before the process gets near its
/// file-descriptor limit (<c>ulimit -n</c>, <c>RLIMIT_NOFILE</c>). The .NET runtime needs descriptors
/// of its own at moments nobody chooses: a new thread (the tiered-compilation worker, a thread-pool
/// thread) opens a pipe while it starts, and if that fails with EMFILE the runtime aborts the whole
/// process ("Out of memory.", SIGABRT, exit 134). A server that never holds the last descriptors
/// cannot cause that; nginx (<c>worker_connections</c>) caps its connections the same way.
/// </summary>
internal static class DescriptorBudget
{
    /// <summary>
    /// Descriptors left free for the runtime: a few for each thread it may start at once (each opens
    /// a pipe), assembly files it loads later, and its own pipes and event handles. The CLI starts with
    /// about 60 open; 64 more is room for the runtime to double what it needed to get going.
    /// </summary>
    public const int RuntimeReserve = 64;

    // <sys/resource.h>: RLIMIT_NOFILE is 7 on x86, x86-64, ARM and ARM64 Linux.
    private const int RLIMIT_NOFILE = 7;

    /// <summary>
    /// The cap for a server started now: the soft descriptor limit, less <see cref="RuntimeReserve"/>,
    /// less the descriptors the process has open at this moment. Null where the limit cannot be read
    /// (not Linux, a 32-bit process) or is unlimited: then no cap.
    /// </summary>
    public static int? DefaultMaxConnections()
    {
        if (SoftLimit() is not { } limit || OpenDescriptors() is not { } open)
        {
            return null;
        }
        // At least one: a server with a cap of 0 would refuse everyone, and EMFILE handling
        // (AcceptGuard) still stands behind the cap.
        return (int)Math.Clamp(limit - RuntimeReserve - open, 1, int.MaxValue);
    }

    /// <summary>The soft <c>RLIMIT_NOFILE</c> (what <c>ulimit -n</c> prints), or null where it cannot be read or is unlimited.</summary>
    public static long? SoftLimit()
    {
        // struct rlimit is two rlim_t, which is 64 bits only in a 64-bit process.
        if (!OperatingSystem.IsLinux() || !Environment.Is64BitProcess)
        {
            return null;
        }
        var limits = new ulong[2];
        try
        {
            if (getrlimit(RLIMIT_NOFILE, limits) != 0)
            {
                return null;
            }
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return null;
        }
        // RLIM_INFINITY is all ones; anything past int.MaxValue is as good as no limit here.
        return limits[0] > int.MaxValue ? null : (long)limits[0];
    }

    /// <summary>How many descriptors the process has open now (entries of <c>/proc/self/fd</c>), or null without <c>/proc</c>.</summary>
    public static int? OpenDescriptors()
    {
        try
        {
            // The listing itself holds one descriptor open while it runs (the directory): not counted.
            return Directory.EnumerateFileSystemEntries("/proc/self/fd").Count() - 1;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int getrlimit(int resource, ulong[] rlim);
}
