using SocketsNotebooks.Tracing;

namespace SocketsNotebooks.Network;

/// <summary>
/// What one receiver (the server or the client of one relayed connection) has read, as the trace shows
/// it, and a wait until it has read a given number of bytes: how the relay paces its pieces.
/// </summary>
internal sealed class ReceiverProgress(Side side)
{
    private readonly SemaphoreSlim _progress = new(0);
    private long _read;
    private bool _seen;
    private bool _closed;
    private bool _givenUp;

    /// <summary>Which end it is.</summary>
    public Side Side => side;

    /// <summary>
    /// Counts a call of the receiver's. Any call is a sign of life: an accept or connect shows it is
    /// recorded in this trace long before its first <c>recv()</c> returns data.
    /// </summary>
    public void Read(int bytes)
    {
        Interlocked.Add(ref _read, bytes);
        Volatile.Write(ref _seen, true);
        _progress.Release();
    }

    /// <summary>A receiver that has closed reads nothing more: waiting for it would only cost the timeout.</summary>
    public void Closed()
    {
        Volatile.Write(ref _closed, true);
        Read(0);
    }

    /// <summary>Waits until the receiver has read <paramref name="total"/> bytes in all, at most <paramref name="timeout"/>.</summary>
    public async Task<Pace> WaitUntilReadAsync(long total, TimeSpan timeout, CancellationToken stopping)
    {
        // Given up, but only until the receiver shows up in the trace: a late one (a busy
        // machine, a server still serving someone else) gets its pieces paced again.
        if (Volatile.Read(ref _givenUp) && !Volatile.Read(ref _seen))
        {
            return Pace.Read;
        }
        var deadline = DateTime.UtcNow + timeout;
        while (Interlocked.Read(ref _read) < total && !Volatile.Read(ref _closed))
        {
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero || !await _progress.WaitAsync(left, stopping).ConfigureAwait(false))
            {
                if (Volatile.Read(ref _seen))
                {
                    return Pace.TimedOut;
                }
                // Not recorded in this trace (or not even accepted yet): the plain delay is all
                // the relay can do for now.
                Volatile.Write(ref _givenUp, true);
                return Pace.GaveUp;
            }
        }
        return Pace.Read;
    }
}
