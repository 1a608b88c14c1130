using System.Diagnostics;
using System.Net.Sockets;

namespace SocketsNotebooks.Inside;

/// <summary>
/// Reads <c>TCP_INFO</c> of one socket every few milliseconds on a background task while an experiment runs,
/// so a chart can show the congestion window, the round-trip time and the retransmissions move. It stops when
/// told to, when the socket closes, or after <c>maxSamples</c> readings, whichever comes first.
/// </summary>
public sealed class TcpInfoSampler : IAsyncDisposable, IDisposable
{
    private readonly Socket _socket;
    private readonly List<TcpInfoSample> _samples = [];
    private readonly ManualResetEventSlim _stopping = new();
    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Task _loop;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly int _maxSamples;
    private int _disposed;

    private TcpInfoSampler(Socket socket, TimeSpan interval, int maxSamples)
    {
        _socket = socket;
        _maxSamples = maxSamples;
        Interval = interval;
        var thread = new Thread(() => Sample(interval, maxSamples)) { IsBackground = true, Name = "TCP_INFO sampler" };
        _loop = _done.Task;
        thread.Start();
        InsideLab.Started(this);
    }

    /// <summary>The time between two readings.</summary>
    public TimeSpan Interval { get; }

    /// <summary>Completes when the sampler has stopped: told to, its socket closed, or its sample limit reached.</summary>
    public Task Completion => _loop;

    /// <summary>Whether the sampler still reads.</summary>
    public bool IsRunning => !_loop.IsCompleted;

    /// <summary>The readings so far, in order.</summary>
    public IReadOnlyList<TcpInfoSample> Samples
    {
        get
        {
            lock (_samples)
            {
                return _samples.ToArray();
            }
        }
    }

    /// <summary>
    /// Starts sampling <paramref name="socket"/> every <paramref name="interval"/> (default 2 ms), at most
    /// <paramref name="maxSamples"/> times. Off Linux it throws <see cref="PlatformNotSupportedException"/>
    /// with the reason (<see cref="TcpInfoReader.NotAvailableReason"/>).
    /// </summary>
    public static TcpInfoSampler Start(Socket socket, TimeSpan? interval = null, int maxSamples = 20_000)
    {
        ArgumentNullException.ThrowIfNull(socket);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxSamples, 1, nameof(maxSamples));
        if (!TcpInfoReader.IsAvailable)
        {
            throw new PlatformNotSupportedException(TcpInfoReader.NotAvailableReason);
        }
        return new TcpInfoSampler(socket, interval ?? TimeSpan.FromMilliseconds(2), maxSamples);
    }

    /// <summary>Takes one reading now, besides the regular ones (e.g. after each <c>send()</c> of a fast transfer).</summary>
    public void Take()
    {
        int count;
        lock (_samples)
        {
            count = _samples.Count;
        }
        if (IsRunning && count < _maxSamples)
        {
            Take(_clock);
        }
    }

    /// <summary>Stops sampling (the last reading is taken first) and returns every reading.</summary>
    public IReadOnlyList<TcpInfoSample> Stop()
    {
        if (Volatile.Read(ref _disposed) != 0)
        {
            return Samples;
        }
        _stopping.Set();
        // The loop only waits on the signal and reads a socket option: it ends at once.
        _loop.GetAwaiter().GetResult();
        InsideLab.Stopped(this);
        return Samples;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            Stop();
            _stopping.Dispose();
        }
    }

    /// <inheritdoc/>
    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    private void Sample(TimeSpan interval, int maxSamples)
    {
        // Sampling, not synchronising: the kernel has no event for "the window changed", so look at a steady pace.
        // A thread of its own and a timed wait on the stop signal: pool timers tick too coarsely (about 10 ms
        // under load) for a transfer that lasts a hundred milliseconds.
        try
        {
            for (int count = 0; count < maxSamples && Take(_clock); count++)
            {
                if (_stopping.Wait(interval))
                {
                    Take(_clock); // the state at the moment Stop was called
                    break;
                }
            }
        }
        finally
        {
            InsideLab.Stopped(this);
            _done.TrySetResult();
        }
    }

    private bool Take(Stopwatch clock)
    {
        double ms = Math.Round(clock.Elapsed.TotalMilliseconds, 3);
        if (!TcpInfoReader.TryRead(_socket, out var info))
        {
            return false; // the socket was closed under the experiment: nothing more to read
        }
        lock (_samples)
        {
            // Two readers (the loop and Take) may race: keep the list in time order.
            int at = _samples.Count;
            while (at > 0 && _samples[at - 1].TimeMs > ms)
            {
                at--;
            }
            _samples.Insert(at, new TcpInfoSample(ms, info!));
        }
        return true;
    }
}
