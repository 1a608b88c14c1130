using System.Net;

namespace SocketsNotebooks.Concurrency;

/// <summary>
/// A closed-loop echo load, in the spirit of the C load generator in <c>bench/</c>: N connections, each
/// with exactly one request of a fixed size in flight (send it, wait for the whole echo, send the
/// next), for a bounded time. It reports requests per second and the median and 99th-percentile time
/// of one round trip. It runs on one thread of its own with non-blocking sockets and epoll
/// (<c>Selector</c> where there is no epoll), so it needs no thread per connection itself.
/// </summary>
/// <remarks>
/// Connecting is not measured: every connection is opened first, then a warm-up runs whose echoes
/// are not counted (until every connection has been answered once, within a bound), then the measured window. On the way out every socket is closed with a
/// reset (linger 0), so thousands of runs leave no ports waiting in TIME_WAIT. Everything happens on
/// 127.0.0.1, in the same process as the server: the load and the server share the machine's cores.
/// </remarks>
public static class EchoLoad
{
    /// <summary>The most connections one run opens.</summary>
    public const int MaxConnections = 10_000;

    /// <summary>The longest measured window (and warm-up) a run accepts.</summary>
    public static readonly TimeSpan MaxDuration = TimeSpan.FromSeconds(30);

    /// <summary>How long connecting may take before the run goes on without the connections still pending.</summary>
    public static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(3);

    /// <summary>
    /// Runs the load on the calling thread: <paramref name="connections"/> connections to
    /// <paramref name="server"/>, <paramref name="size"/>-byte requests, a warm-up that lasts until every
    /// connection has had one echo back (at least a tenth of <paramref name="warmup"/>, at most all of it;
    /// default 0.5 s), then <paramref name="duration"/> (default 1 s) measured. <paramref name="model"/> labels the result.
    /// </summary>
    public static EchoLoadResult Run(IPEndPoint server, int connections, TimeSpan? duration = null, int size = 1024,
        TimeSpan? warmup = null, string model = "")
    {
        ArgumentNullException.ThrowIfNull(server);
        ArgumentOutOfRangeException.ThrowIfLessThan(connections, 1, nameof(connections));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(connections, MaxConnections, nameof(connections));
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1, nameof(size));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(size, 1 << 20, nameof(size));
        var window = duration ?? TimeSpan.FromSeconds(1);
        if (window <= TimeSpan.Zero || window > MaxDuration)
        {
            throw new ArgumentOutOfRangeException(nameof(duration), window, $"between 0 and {MaxDuration.TotalSeconds} s");
        }
        var warm = warmup ?? TimeSpan.FromMilliseconds(500);
        if (warm < TimeSpan.Zero || warm > MaxDuration)
        {
            throw new ArgumentOutOfRangeException(nameof(warmup), warm, $"between 0 and {MaxDuration.TotalSeconds} s");
        }
        using var run = new EchoLoadRun(connections, size);
        return run.Run(server, window, warm, ConnectTimeout, model);
    }

    /// <summary>
    /// <see cref="Run"/> on a thread of its own, so a notebook cell can await it without holding a
    /// thread-pool thread that an <c>async</c> server needs.
    /// </summary>
    public static Task<EchoLoadResult> RunAsync(IPEndPoint server, int connections, TimeSpan? duration = null, int size = 1024,
        TimeSpan? warmup = null, string model = "") =>
        Task.Factory.StartNew(() => Run(server, connections, duration, size, warmup, model),
            CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
}
