namespace SocketsNotebooks.PubSub;

/// <summary>
/// The bytes waiting in every outgoing queue of a <see cref="Broker"/> together, against
/// <see cref="BrokerOptions.MaxTotalQueuedBytes"/>. Over the cap the broker is <see cref="Full"/>: it stops
/// reading from publishers, so TCP makes their <c>send()</c> wait (notebook 04's full buffers). It reads them
/// again once the total is down to half the cap; the gap keeps it from switching on every wake-up.
/// The loop's thread changes it; the counters may be read from any thread.
/// </summary>
internal sealed class QueuePressure(long max)
{
    private long _queued;
    private long _peak;
    private long _pauses;

    private volatile bool _full;

    /// <summary>Over the cap, and not yet back down to half of it.</summary>
    public bool Full => _full;

    public long Max { get; } = max;

    /// <summary>Where the broker reads its publishers again.</summary>
    public long ResumeAt => Max / 2;

    public long Queued => Interlocked.Read(ref _queued);

    public long Peak => Interlocked.Read(ref _peak);

    /// <summary>How many times the broker stopped reading its publishers.</summary>
    public long Pauses => Interlocked.Read(ref _pauses);

    /// <summary>Bytes were queued; true if that made the broker full.</summary>
    public bool Add(long bytes)
    {
        long queued = Interlocked.Add(ref _queued, bytes);
        if (queued > _peak)
        {
            Interlocked.Exchange(ref _peak, queued);
        }
        if (Full || queued <= Max)
        {
            return false;
        }
        _full = true;
        Interlocked.Increment(ref _pauses);
        return true;
    }

    /// <summary>Bytes left the queues (sent, or dropped with their connection); true if the broker may read its publishers again.</summary>
    public bool Remove(long bytes)
    {
        long queued = Interlocked.Add(ref _queued, -bytes);
        if (!Full || queued > ResumeAt)
        {
            return false;
        }
        _full = false;
        return true;
    }
}
