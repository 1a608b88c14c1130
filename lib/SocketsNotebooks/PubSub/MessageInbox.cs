namespace SocketsNotebooks.PubSub;

/// <summary>
/// A subscriber's messages and whoever waits for them: counts each message the reading task hands over,
/// keeps it when <see cref="SubscriberOptions.KeepMessages"/> is on, and wakes the waiters whose count it
/// reaches. Once the connection has ended every waiter fails at once, so none is left hanging (the CLI's
/// <c>subscribe &lt;topic&gt; &lt;count&gt;</c> waits with no timeout).
/// </summary>
internal sealed class MessageInbox(bool keepMessages)
{
    private readonly object _gate = new();
    private readonly List<PubSubMessage> _messages = [];
    private readonly List<(long Count, TaskCompletionSource Done)> _waiters = [];
    private long _count;
    // How many messages ReceiveAsync has handed out, so the next call starts after them.
    private int _taken;
    // Why the connection ended, once it has.
    private string? _ended;

    /// <summary>How many messages arrived so far.</summary>
    public long Count => Interlocked.Read(ref _count);

    /// <summary>Every message kept so far, oldest first (a snapshot).</summary>
    public IReadOnlyList<PubSubMessage> Messages
    {
        get
        {
            lock (_gate)
            {
                return _messages.ToArray();
            }
        }
    }

    /// <summary>Counts (and keeps) one message and wakes the waiters it satisfies.</summary>
    public void Add(PubSubMessage message)
    {
        List<TaskCompletionSource>? woken = null;
        lock (_gate)
        {
            if (keepMessages)
            {
                _messages.Add(message);
            }
            long count = Interlocked.Increment(ref _count);
            for (int i = _waiters.Count - 1; i >= 0; i--)
            {
                if (_waiters[i].Count <= count)
                {
                    (woken ??= []).Add(_waiters[i].Done);
                    _waiters.RemoveAt(i);
                }
            }
        }
        // Outside the lock: a waiter's continuation must not run while we hold it.
        woken?.ForEach(w => w.TrySetResult());
    }

    /// <summary>
    /// Waits until <paramref name="total"/> messages have arrived in all. Throws <see cref="TimeoutException"/>
    /// after <paramref name="timeout"/>, or <see cref="IOException"/> at once if the connection ended first.
    /// </summary>
    public async Task WaitForCountAsync(long total, TimeSpan timeout)
    {
        TaskCompletionSource done;
        lock (_gate)
        {
            if (_count >= total)
            {
                return;
            }
            if (_ended is not null)
            {
                throw new IOException($"Only {_count} of {total} messages arrived: {_ended}.");
            }
            done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((total, done));
        }
        try
        {
            await done.Task.WaitAsync(timeout).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            lock (_gate)
            {
                _waiters.RemoveAll(w => w.Done == done);
            }
            throw new TimeoutException($"Only {Count} of {total} messages arrived within {timeout.TotalMilliseconds:0} ms.");
        }
    }

    /// <summary>The next <paramref name="count"/> kept messages not yet returned by an earlier call, waiting at most <paramref name="timeout"/>.</summary>
    public async Task<IReadOnlyList<PubSubMessage>> ReceiveAsync(int count, TimeSpan timeout)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (!keepMessages)
        {
            throw new InvalidOperationException("This subscriber only counts messages (KeepMessages = false).");
        }
        int from;
        lock (_gate)
        {
            from = _taken;
        }
        await WaitForCountAsync(from + count, timeout).ConfigureAwait(false);
        lock (_gate)
        {
            var taken = _messages.GetRange(from, count);
            _taken = Math.Max(_taken, from + count);
            return taken;
        }
    }

    /// <summary>The connection has ended: every waiter fails with <paramref name="failure"/>, later waits with <paramref name="why"/>.</summary>
    public void End(string why, Exception failure)
    {
        List<TaskCompletionSource> waiters;
        lock (_gate)
        {
            _ended ??= why;
            waiters = _waiters.Select(w => w.Done).ToList();
            _waiters.Clear();
        }
        waiters.ForEach(w => w.TrySetException(failure));
    }
}
