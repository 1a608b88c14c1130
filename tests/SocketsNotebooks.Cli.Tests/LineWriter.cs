using System.Text;

namespace SocketsNotebooks.Cli.Tests;

/// <summary>
/// A thread-safe stand-in for a terminal: collects what a command prints, line by line, and lets a
/// test wait for a line (e.g. "Listening on ...") instead of sleeping.
/// </summary>
public sealed class LineWriter : TextWriter
{
    private readonly object _gate = new();
    private readonly StringBuilder _current = new();
    private readonly List<string> _lines = [];
    private readonly List<(Func<string, bool> Match, TaskCompletionSource<string> Done)> _waiters = [];

    /// <inheritdoc/>
    public override Encoding Encoding => Encoding.UTF8;

    /// <summary>Every complete line so far.</summary>
    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (_gate)
            {
                return _lines.ToArray();
            }
        }
    }

    /// <summary>Everything printed so far, complete lines and the unfinished one.</summary>
    public string Text
    {
        get
        {
            lock (_gate)
            {
                return string.Join('\n', _lines) + (_lines.Count > 0 ? "\n" : "") + _current;
            }
        }
    }

    /// <inheritdoc/>
    public override void Write(char value)
    {
        List<TaskCompletionSource<string>> woken = [];
        string? line = null;
        lock (_gate)
        {
            if (value == '\n')
            {
                line = _current.ToString().TrimEnd('\r');
                _current.Clear();
                _lines.Add(line);
                for (int i = _waiters.Count - 1; i >= 0; i--)
                {
                    if (_waiters[i].Match(line))
                    {
                        woken.Add(_waiters[i].Done);
                        _waiters.RemoveAt(i);
                    }
                }
            }
            else
            {
                _current.Append(value);
            }
        }
        foreach (var done in woken)
        {
            done.TrySetResult(line!);
        }
    }

    /// <summary>Waits for a complete line matching <paramref name="match"/> (or one already printed); throws <see cref="TimeoutException"/>.</summary>
    public Task<string> WaitForLineAsync(Func<string, bool> match, TimeSpan timeout)
    {
        var done = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            var seen = _lines.FirstOrDefault(match);
            if (seen is not null)
            {
                return Task.FromResult(seen);
            }
            _waiters.Add((match, done));
        }
        return done.Task.WaitAsync(timeout);
    }
}
