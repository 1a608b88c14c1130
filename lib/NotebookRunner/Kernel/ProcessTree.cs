namespace NotebookRunner.Kernel;

/// <summary>A process and its descendants, read from /proc on Linux (elsewhere only the process itself).</summary>
internal static class ProcessTree
{
    /// <summary><paramref name="root"/> followed by its children, their children, and so on.</summary>
    public static IReadOnlyList<int> WithDescendants(int root)
    {
        var found = new List<int> { root };
        for (int i = 0; i < found.Count; i++)
        {
            found.AddRange(Children(found[i]));
        }

        return found;
    }

    /// <summary>
    /// Waits until every process in <paramref name="pids"/> has ended (gone, or a zombie whose parent
    /// has not collected it yet), or <paramref name="timeout"/> passes. A killed process's signal is
    /// delivered asynchronously; this makes "killed" mean "no longer running" for the caller.
    /// </summary>
    public static async Task WaitForEndAsync(IReadOnlyList<int> pids, TimeSpan timeout)
    {
        using var limit = new CancellationTokenSource(timeout);
        while (pids.Any(IsRunning) && !limit.IsCancellationRequested)
        {
            await Task.Delay(10, CancellationToken.None).ConfigureAwait(false);
        }
    }

    // /proc/<pid>/stat: "<pid> (<name>) <state> ...": Z is a zombie, X dead.
    private static bool IsRunning(int pid)
    {
        try
        {
            string stat = File.ReadAllText($"/proc/{pid}/stat");
            char state = stat[(stat.LastIndexOf(')') + 2)..][0];
            return state is not ('Z' or 'X');
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }

    // /proc/<pid>/task/<tid>/children lists the children each thread started.
    private static IEnumerable<int> Children(int pid)
    {
        string tasks = $"/proc/{pid}/task";
        if (!Directory.Exists(tasks))
        {
            return [];
        }

        var children = new List<int>();
        try
        {
            foreach (string task in Directory.GetDirectories(tasks))
            {
                string file = Path.Combine(task, "children");
                if (File.Exists(file))
                {
                    children.AddRange(File.ReadAllText(file).Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse));
                }
            }
        }
        catch (IOException)
        {
            // The process exited while we looked: it has no children any more.
        }
        catch (UnauthorizedAccessException)
        {
            // Not ours to read: report only what we could.
        }

        return children;
    }
}
