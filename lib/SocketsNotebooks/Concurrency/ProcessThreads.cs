using System.Diagnostics;

namespace SocketsNotebooks.Concurrency;

/// <summary>
/// The threads of this process, counted by name: how a notebook sees what the runtime runs underneath
/// <c>async</c>/<c>await</c> (<c>.NET Sockets</c>: the thread that waits in epoll for every socket with
/// a pending async call; <c>.NET TP Worker</c>: thread-pool threads that run what comes after an <c>await</c>).
/// </summary>
public static class ProcessThreads
{
    private const string Tasks = "/proc/self/task";

    /// <summary>How many threads the process has now.</summary>
    public static int Count
    {
        get
        {
            using var process = Process.GetCurrentProcess();
            return process.Threads.Count;
        }
    }

    /// <summary>
    /// Thread name → how many threads have it, in name order. Linux keeps the first 15 bytes of a name
    /// (<c>.NET Long Runni</c>). Empty where the names cannot be read (only Linux has <c>/proc/self/task</c>).
    /// </summary>
    public static IReadOnlyDictionary<string, int> ByName()
    {
        var counts = new SortedDictionary<string, int>(StringComparer.Ordinal);
        if (!Directory.Exists(Tasks))
        {
            return counts;
        }
        foreach (string task in Directory.EnumerateDirectories(Tasks))
        {
            string name;
            try
            {
                name = File.ReadAllText(Path.Combine(task, "comm")).Trim();
            }
            catch (IOException)
            {
                // The thread ended between listing and reading: it is not there any more.
                continue;
            }
            counts[name] = counts.GetValueOrDefault(name) + 1;
        }
        return counts;
    }
}
