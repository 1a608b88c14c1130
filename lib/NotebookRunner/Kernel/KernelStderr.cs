namespace NotebookRunner.Kernel;

/// <summary>
/// The kernel's standard error, read as it comes (a pipe nobody reads would fill and stall the
/// kernel); the last lines are kept to explain a kernel that exits.
/// </summary>
internal sealed class KernelStderr
{
    private const int KeptLines = 20;
    private readonly Queue<string> _last = new();

    public KernelStderr(TextReader stderr)
    {
        Completion = Task.Run(async () =>
        {
            while (await stderr.ReadLineAsync().ConfigureAwait(false) is { } line)
            {
                lock (_last)
                {
                    _last.Enqueue(line);
                    if (_last.Count > KeptLines)
                    {
                        _last.Dequeue();
                    }
                }
            }
        });
    }

    /// <summary>Completes when the kernel's stderr ends.</summary>
    public Task Completion { get; }

    /// <summary>"; its last error output: ..." with the kept lines, or an empty string when there were none.</summary>
    public string Describe()
    {
        lock (_last)
        {
            return _last.Count == 0 ? "" : "; its last error output:\n  " + string.Join("\n  ", _last);
        }
    }
}
