using System.Diagnostics;
using System.Globalization;

namespace SocketsNotebooks.Concurrency;

/// <summary>This process's threads and memory at one moment, after a full garbage collection.</summary>
internal readonly record struct ProcessSnapshot(int Threads, long ResidentBytes, long VirtualBytes, long ManagedBytes)
{
    private const string Status = "/proc/self/status";

    public static ProcessSnapshot Take()
    {
        // An aggressive collection compacts the heap and gives its free memory back to the OS, so
        // garbage (of earlier cells, or of a loop that allocates on every call) does not count as
        // memory the connections use. One is enough: it is the same collection before and after, and
        // in a notebook's kernel, with the compiler's heap to walk, each one takes a while.
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        long managed = GC.GetTotalMemory(false);
        if (File.Exists(Status))
        {
            // Linux: one small read instead of one per thread (Process.Threads opens every /proc/self/task/N).
            var fields = File.ReadAllLines(Status).Select(l => l.Split(':', 2)).Where(p => p.Length == 2)
                .ToDictionary(p => p[0], p => p[1].Trim().Split(' ')[0]);
            return new ProcessSnapshot(Number(fields["Threads"]), Number(fields["VmRSS"]) * 1024L, Number(fields["VmSize"]) * 1024L, managed);
        }
        using var process = Process.GetCurrentProcess();
        return new ProcessSnapshot(process.Threads.Count, process.WorkingSet64, process.VirtualMemorySize64, managed);
    }

    private static int Number(string text) => int.Parse(text, CultureInfo.InvariantCulture);
}
