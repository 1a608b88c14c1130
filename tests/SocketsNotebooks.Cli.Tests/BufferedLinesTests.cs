using System.Text;
using Microsoft.Extensions.Time.Testing;

namespace SocketsNotebooks.Cli.Tests;

// The clock is a FakeTimeProvider moved by hand: the quiet period passes when the test says so.
public sealed class BufferedLinesTests
{
    private static readonly TimeSpan s_quiet = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan s_maxDelay = TimeSpan.FromMilliseconds(250);

    [Fact]
    public void WriteLine_Burst_OneWriteAfterTheQuietPeriodInOrder()
    {
        var time = new FakeTimeProvider();
        var output = new BatchWriter();
        using var lines = new BufferedLines(output, time, s_quiet, s_maxDelay);

        lines.WriteLine("Accepted connection from ('127.0.0.1', 50000)");
        lines.WriteLine("Echoing b'one' to ('127.0.0.1', 50000)");
        time.Advance(TimeSpan.FromMilliseconds(20));
        lines.WriteLine("Echoing b'two' to ('127.0.0.1', 50000)");
        time.Advance(TimeSpan.FromMilliseconds(49));
        Assert.Empty(output.Batches);

        time.Advance(TimeSpan.FromMilliseconds(1));

        var batch = Assert.Single(output.Batches);
        Assert.Equal(
            ["Accepted connection from ('127.0.0.1', 50000)", "Echoing b'one' to ('127.0.0.1', 50000)", "Echoing b'two' to ('127.0.0.1', 50000)"],
            Lines(batch));
    }

    [Fact]
    public void WriteLine_SteadyStreamWithoutPause_WrittenByTheMaxDelay()
    {
        var time = new FakeTimeProvider();
        var output = new BatchWriter();
        using var lines = new BufferedLines(output, time, s_quiet, s_maxDelay);

        // A line every 40 ms never leaves the 50 ms of quiet; the oldest line must not wait for ever.
        for (int i = 0; i < 7; i++)
        {
            lines.WriteLine($"line {i}");
            Assert.Empty(output.Batches);
            time.Advance(TimeSpan.FromMilliseconds(40)); // the 7th step crosses 250 ms after line 0
        }

        var batch = Assert.Single(output.Batches);
        Assert.Equal(Enumerable.Range(0, 7).Select(i => $"line {i}"), Lines(batch));
    }

    [Fact]
    public void WriteLine_CapacityReached_WrittenAtOnce()
    {
        var time = new FakeTimeProvider();
        var output = new BatchWriter();
        using var lines = new BufferedLines(output, time, s_quiet, s_maxDelay, capacity: 16);

        lines.WriteLine("short");
        Assert.Empty(output.Batches);
        lines.WriteLine("long enough now");

        Assert.Equal(["short", "long enough now"], Lines(Assert.Single(output.Batches)));
    }

    [Fact]
    public void Dispose_LinesPending_WritesThemAndLaterLinesGoStraightOut()
    {
        var time = new FakeTimeProvider();
        var output = new BatchWriter();
        var lines = new BufferedLines(output, time, s_quiet, s_maxDelay);
        lines.WriteLine("Closing connection to ('127.0.0.1', 50000)");
        lines.WriteLine("Server stopped");

        lines.Dispose();
        Assert.Equal(["Closing connection to ('127.0.0.1', 50000)", "Server stopped"], Lines(Assert.Single(output.Batches)));
        lines.WriteLine("late");
        lines.Dispose();
        time.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(["late"], Lines(output.Batches[1]));
        Assert.Equal(2, output.Batches.Count);
    }

    [Fact]
    public void WriteLine_ManyThreads_EveryLineOnceInEachThreadsOrder()
    {
        const int Threads = 4, PerThread = 2000;
        var time = new FakeTimeProvider();
        var output = new BatchWriter();
        // A small capacity, so the writers' own flushes race each other and the timer's.
        var lines = new BufferedLines(output, time, s_quiet, s_maxDelay, capacity: 200);
        using var start = new Barrier(Threads + 1);
        var writers = Enumerable.Range(0, Threads).Select(t => new Thread(() =>
        {
            start.SignalAndWait();
            for (int i = 0; i < PerThread; i++)
            {
                lines.WriteLine($"{t} {i}");
            }
        })).ToList();
        writers.ForEach(w => w.Start());
        start.SignalAndWait();
        while (writers.Any(w => w.IsAlive))
        {
            time.Advance(s_quiet);
        }
        writers.ForEach(w => w.Join());
        lines.Dispose();

        var written = output.Batches.SelectMany(Lines).Select(l => l.Split(' ').Select(int.Parse).ToArray()).ToList();
        Assert.Equal(Threads * PerThread, written.Count);
        for (int t = 0; t < Threads; t++)
        {
            Assert.Equal(Enumerable.Range(0, PerThread), written.Where(w => w[0] == t).Select(w => w[1]));
        }
    }

    private static string[] Lines(string batch) => batch.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    // Records each Write(string) as one batch: one batch is one write(2) on a terminal.
    private sealed class BatchWriter : TextWriter
    {
        private readonly List<string> _batches = [];

        public override Encoding Encoding => Encoding.UTF8;

        public BatchWriter() => NewLine = "\n";

        public List<string> Batches
        {
            get
            {
                lock (_batches)
                {
                    return [.. _batches];
                }
            }
        }

        public override void Write(string? value)
        {
            lock (_batches)
            {
                _batches.Add(value ?? "");
            }
        }

        public override void Write(char value) => Write(value.ToString());
    }
}
