using System.Diagnostics;
using System.Text;

namespace SocketsNotebooks.Cli;

/// <summary>
/// A server's lines on their way to the terminal, written in batches. The servers log from their loop
/// thread, once per request ("Echoing b'...' to ..."); straight to the auto-flushing console that is a
/// <c>write(2)</c> per line, which costs the loop more than the echo itself. Here a line is only appended
/// to a buffer, and the buffer goes out in one write when the server goes quiet.
/// </summary>
/// <remarks>
/// "Quiet" is read as a timer, not as the loop telling us it is idle (the servers have no such hook):
/// the pending lines are written <see cref="DefaultQuietPeriod"/> after the last one, so a burst goes out
/// as one write just after it ends. Under a steady stream that never pauses, they go out at the latest
/// <see cref="DefaultMaxDelay"/> after the oldest one, or as soon as <see cref="DefaultCapacity"/>
/// characters wait, so a person watching still sees them within a fraction of a second. <see cref="Dispose"/>
/// writes what is left; the server commands dispose after the server stopped and before their last line,
/// so nothing is lost at Ctrl+C. Lines keep the order in which <see cref="WriteLine"/> was called, from
/// any thread; a line written after <see cref="Dispose"/> goes straight out.
/// </remarks>
public sealed class BufferedLines : IDisposable
{
    /// <summary>How long after the last line the pending lines are written.</summary>
    public static readonly TimeSpan DefaultQuietPeriod = TimeSpan.FromMilliseconds(50);

    /// <summary>The longest a line waits while lines keep coming with no quiet period between them.</summary>
    public static readonly TimeSpan DefaultMaxDelay = TimeSpan.FromMilliseconds(250);

    /// <summary>Characters that may wait before they are written at once, quiet or not.</summary>
    public const int DefaultCapacity = 32 * 1024;

    private readonly TextWriter _output;
    private readonly TimeProvider _time;
    private readonly TimeSpan _quietPeriod;
    private readonly TimeSpan _maxDelay;
    private readonly int _capacity;
    private readonly ITimer _timer;
    private readonly object _gate = new();       // guards the fields below
    private readonly object _writeGate = new();  // one write at a time, in the order the batches were taken
    private StringBuilder _pending = new();
    private StringBuilder _spare = new();
    private long _firstPendingAt;
    private long _lastPendingAt;
    private bool _timerArmed;
    private bool _disposed;

    /// <summary>Lines for <paramref name="output"/>, written as the class summary says.</summary>
    /// <param name="output">Where the batches go (the terminal, or a test's writer).</param>
    /// <param name="timeProvider">The clock of the quiet period (null = the system's); a test moves a fake one.</param>
    /// <param name="quietPeriod">Default <see cref="DefaultQuietPeriod"/>.</param>
    /// <param name="maxDelay">Default <see cref="DefaultMaxDelay"/>.</param>
    /// <param name="capacity">Default <see cref="DefaultCapacity"/>.</param>
    public BufferedLines(TextWriter output, TimeProvider? timeProvider = null, TimeSpan? quietPeriod = null, TimeSpan? maxDelay = null,
        int capacity = DefaultCapacity)
    {
        _output = output ?? throw new ArgumentNullException(nameof(output));
        _time = timeProvider ?? TimeProvider.System;
        _quietPeriod = quietPeriod ?? DefaultQuietPeriod;
        _maxDelay = maxDelay ?? DefaultMaxDelay;
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(_quietPeriod, TimeSpan.Zero, nameof(quietPeriod));
        ArgumentOutOfRangeException.ThrowIfLessThan(_maxDelay, _quietPeriod, nameof(maxDelay));
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1, nameof(capacity));
        _capacity = capacity;
        _timer = _time.CreateTimer(_ => OnTimer(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Adds a line; it is written with the next batch (at once after <see cref="Dispose"/>).</summary>
    public void WriteLine(string line)
    {
        bool full = false;
        lock (_gate)
        {
            if (!_disposed)
            {
                long now = _time.GetTimestamp();
                if (_pending.Length == 0)
                {
                    _firstPendingAt = now;
                }
                _lastPendingAt = now;
                _pending.Append(line).Append(_output.NewLine);
                if (!_timerArmed)
                {
                    // Once per batch, not per line: the loop pays for a clock read and an append.
                    _timerArmed = true;
                    _timer.Change(_quietPeriod, Timeout.InfiniteTimeSpan);
                }
                full = _pending.Length >= _capacity;
                if (!full)
                {
                    return;
                }
            }
        }
        if (full)
        {
            Flush();
            return;
        }
        // Disposed: nothing will write a batch any more.
        lock (_writeGate)
        {
            Write(line + _output.NewLine);
        }
    }

    /// <summary>Writes the pending lines now.</summary>
    public void Flush()
    {
        lock (_writeGate)
        {
            StringBuilder batch;
            lock (_gate)
            {
                if (_pending.Length == 0)
                {
                    return;
                }
                // Swap buffers, so the loop appends to the other one while this one is written.
                (batch, _pending, _spare) = (_pending, _spare, _pending);
            }
            Write(batch.ToString());
            batch.Clear();
        }
    }

    /// <summary>Writes what is pending and stops the timer; later lines go straight out.</summary>
    public void Dispose()
    {
        // The write gate first, as in Flush: a batch being written goes out before the rest, and a line
        // written straight out after this goes out after it.
        lock (_writeGate)
        {
            string? rest = null;
            lock (_gate)
            {
                if (_disposed)
                {
                    return;
                }
                _disposed = true;
                if (_pending.Length > 0)
                {
                    rest = _pending.ToString();
                    _pending.Clear();
                }
            }
            if (rest is not null)
            {
                Write(rest);
            }
        }
        _timer.Dispose();
    }

    private void OnTimer()
    {
        lock (_gate)
        {
            _timerArmed = false;
            if (_disposed || _pending.Length == 0)
            {
                return;
            }
            var sinceLast = _time.GetElapsedTime(_lastPendingAt);
            var sinceFirst = _time.GetElapsedTime(_firstPendingAt);
            if (sinceLast < _quietPeriod && sinceFirst < _maxDelay)
            {
                // Lines still coming: wait for the quiet period after the last, or the bound on the first.
                _timerArmed = true;
                var wait = _quietPeriod - sinceLast;
                _timer.Change(wait < _maxDelay - sinceFirst ? wait : _maxDelay - sinceFirst, Timeout.InfiniteTimeSpan);
                return;
            }
        }
        Flush();
    }

    private void Write(string text)
    {
        // On a timer thread an exception would end the process: a terminal that went away costs the lines, not the server.
        try
        {
            _output.Write(text);
            _output.Flush();
        }
        catch (IOException e)
        {
            Debug.WriteLine($"BufferedLines: output failed: {e.Message}");
        }
        catch (ObjectDisposedException e)
        {
            Debug.WriteLine($"BufferedLines: output closed: {e.Message}");
        }
    }
}
