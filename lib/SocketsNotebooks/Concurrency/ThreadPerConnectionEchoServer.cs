using System.Net;
using System.Net.Sockets;
using SocketsNotebooks.Tracing;

namespace SocketsNotebooks.Concurrency;

/// <summary>
/// The blocking echo of notebook 01, unchanged, on a new thread for every connection: the accept
/// loop never serves anyone itself, so a quiet client holds only its own thread. Simple and easy to
/// read; each connection costs a whole thread (a stack, a kernel task, scheduling), which is what
/// limits how far it stretches.
/// </summary>
public sealed class ThreadPerConnectionEchoServer : EchoModelServer
{
    // How long Stop waits, in all, for the connections' threads to end once their sockets are closed.
    private static readonly TimeSpan s_joinTimeout = TimeSpan.FromSeconds(3);

    private readonly HashSet<Thread> _threads = [];
    private readonly int _stackSize;
    private int _peakThreads;
    private int _failedThreads;

    private ThreadPerConnectionEchoServer(string name, Trace? trace, int bufferSize, int stackSize)
        : base(name, trace, bufferSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(stackSize);
        _stackSize = stackSize;
    }

    /// <inheritdoc/>
    public override ConcurrencyModel Model => ConcurrencyModel.Threads;

    /// <summary>Threads serving a connection right now.</summary>
    public int Threads
    {
        get
        {
            lock (_threads)
            {
                return _threads.Count;
            }
        }
    }

    /// <summary>The most connection threads alive at once.</summary>
    public int PeakThreads => Volatile.Read(ref _peakThreads);

    /// <summary>Connections closed at once because no thread could be started for them.</summary>
    public int FailedThreads => Volatile.Read(ref _failedThreads);

    /// <summary>
    /// Starts the server on 127.0.0.1 and a free port (or <paramref name="endPoint"/>), recording into
    /// <paramref name="trace"/> if one is given. <paramref name="stackSize"/> is each thread's stack in
    /// bytes (0: the runtime's default). A server already running under <paramref name="name"/> is stopped first.
    /// </summary>
    public static ThreadPerConnectionEchoServer Start(Trace? trace = null, string name = "threads-echo", IPEndPoint? endPoint = null,
        int bufferSize = 1024, int stackSize = 0)
    {
        var server = new ThreadPerConnectionEchoServer(name, trace, bufferSize, stackSize);
        server.Start(endPoint);
        return server;
    }

    /// <inheritdoc/>
    protected override Task RunAsync(CancellationToken stopping)
    {
        try
        {
            while (!stopping.IsCancellationRequested)
            {
                ServedConnection connection;
                try
                {
                    connection = Accept();
                }
                catch (SocketException) when (!stopping.IsCancellationRequested)
                {
                    // See BlockingEchoServer: the next accept() may work; do not spin meanwhile.
                    stopping.WaitHandle.WaitOne(10);
                    continue;
                }
                StartThread(connection);
            }
        }
        finally
        {
            JoinThreads();
        }
        return Task.CompletedTask;
    }

    private void StartThread(ServedConnection connection)
    {
        var thread = new Thread(() => Serve(connection), _stackSize) { IsBackground = true, Name = "echo connection" };
        lock (_threads)
        {
            _threads.Add(thread);
            _peakThreads = Math.Max(_peakThreads, _threads.Count);
        }
        try
        {
            thread.Start();
        }
        catch (OutOfMemoryException)
        {
            // The OS refused another thread (its limit, or no memory for a stack): this connection
            // cannot be served; the others carry on.
            Forget(thread);
            Interlocked.Increment(ref _failedThreads);
            Close(connection, CloseReason.AppError, "no thread could be started for it");
        }
    }

    private void Serve(ServedConnection connection)
    {
        try
        {
            ServeBlocking(connection);
        }
        finally
        {
            Forget(Thread.CurrentThread);
        }
    }

    private void Forget(Thread thread)
    {
        lock (_threads)
        {
            _threads.Remove(thread);
        }
    }

    // Stop() has closed every socket, so each thread's recv() fails and the thread ends; waiting here
    // means a stopped server leaves no thread behind.
    private void JoinThreads()
    {
        Thread[] left;
        lock (_threads)
        {
            left = [.. _threads];
        }
        var deadline = DateTime.UtcNow + s_joinTimeout;
        foreach (var thread in left)
        {
            var wait = deadline - DateTime.UtcNow;
            if (wait <= TimeSpan.Zero || !thread.Join(wait))
            {
                Trace.Record(0, Side, TraceKind.Error, 0, 0, note: $"{Name}: connection threads still running after {s_joinTimeout.TotalSeconds} s");
                return;
            }
        }
    }
}
