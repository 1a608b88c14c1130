namespace NotebookRunner;

/// <summary>
/// Points Console and <c>display(...)</c> at the running cell's <see cref="CellOutputCollector"/>.
/// Console is process-wide and a task started in one cell may write after that cell returned
/// (POLYGLOT.md, "a task started in a cell keeps running"): such late text lands in the next
/// cell to run — the kernel likewise shows it wherever it is at that moment — and never fails.
/// </summary>
public sealed class OutputRouter
{
    private CellOutputCollector _current = new();

    /// <summary>The outputs of the cell that is running (or of the next one, between cells).</summary>
    public CellOutputCollector Current => Volatile.Read(ref _current);

    /// <summary>Ends the current cell's collection: later writes go to a fresh collector for the next cell.</summary>
    public CellOutputCollector Advance() => Interlocked.Exchange(ref _current, new CellOutputCollector());

    /// <summary>A writer that appends to the current cell's <paramref name="streamName"/> stream.</summary>
    public TextWriter StreamWriter(string streamName) => new RoutedWriter(this, streamName);

    private sealed class RoutedWriter(OutputRouter router, string streamName) : TextWriter
    {
        public override System.Text.Encoding Encoding => System.Text.Encoding.UTF8;

        public override void Write(char value) => router.Current.AppendStream(streamName, value.ToString());

        public override void Write(string? value) => router.Current.AppendStream(streamName, value ?? "");

        public override void Write(char[] buffer, int index, int count) =>
            router.Current.AppendStream(streamName, new string(buffer, index, count));
    }
}
