namespace SocketsNotebooks.PubSub;

/// <summary>
/// Whether a subscriber's reading task may call <c>recv()</c>: open by default, shut by
/// <see cref="Subscriber.StopReading"/> (or by the slow subscriber itself), opened again by
/// <see cref="Subscriber.ResumeReading"/>. While it is shut, what the broker sends piles up in the
/// kernel's buffers, then in the broker's queue.
/// </summary>
internal sealed class ReadGate
{
    private readonly object _gate = new();
    private TaskCompletionSource _open = NewOpen(open: true);

    /// <summary>Whether reading may go on.</summary>
    public bool IsOpen => _open.Task.IsCompleted;

    /// <summary>Stops reading before the next <c>recv()</c>.</summary>
    public void Shut()
    {
        lock (_gate)
        {
            if (_open.Task.IsCompleted)
            {
                _open = NewOpen(open: false);
            }
        }
    }

    /// <summary>Lets reading go on.</summary>
    public void Open()
    {
        lock (_gate)
        {
            _open.TrySetResult();
        }
    }

    /// <summary>Completes when reading may go on (at once if it may).</summary>
    public Task WaitAsync(CancellationToken cancellationToken)
    {
        Task open;
        lock (_gate)
        {
            open = _open.Task;
        }
        return open.WaitAsync(cancellationToken);
    }

    private static TaskCompletionSource NewOpen(bool open)
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (open)
        {
            gate.SetResult();
        }
        return gate;
    }
}
