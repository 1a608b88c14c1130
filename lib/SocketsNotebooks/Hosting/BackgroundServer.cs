using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using SocketsNotebooks.Tracing;

namespace SocketsNotebooks.Hosting;

/// <summary>
/// A server that runs inside the notebook's own process, on a background thread, so the next
/// cell can be its client. It binds 127.0.0.1 port 0 unless told otherwise (the OS picks a free
/// port; read it from <see cref="Port"/>), records into a <see cref="Trace"/>, and stops cleanly.
/// Servers are kept by name: starting one under a name already running stops the old one first,
/// so re-running a notebook from the top never leaks a listener.
/// </summary>
public abstract class BackgroundServer : IDisposable, IAsyncDisposable
{
    private static readonly Dictionary<string, BackgroundServer> s_running = [];
    private static readonly object s_starting = new();
    private static readonly TimeSpan s_stopTimeout = TimeSpan.FromSeconds(5);

    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentDictionary<TracedSocket, byte> _open = new();
    private TracedSocket? _listener;
    private Task _loop = Task.CompletedTask;

    /// <summary>
    /// Sets the name and trace; a derived class then calls <see cref="Start"/>. <paramref name="side"/>
    /// is the side its listener and loop record as (the relay records as <see cref="Side.Relay"/>,
    /// so a chart of the server's calls does not pick up the relay's).
    /// </summary>
    protected BackgroundServer(string name, Trace trace, Side side = Side.Server)
    {
        Name = name ?? throw new ArgumentNullException(nameof(name));
        Trace = trace ?? throw new ArgumentNullException(nameof(trace));
        Side = side;
    }

    /// <summary>The side this server's own sockets record as.</summary>
    protected Side Side { get; }

    /// <summary>The name this server runs under; starting another with the same name replaces it.</summary>
    public string Name { get; }

    /// <summary>Where this server's socket calls are recorded.</summary>
    public Trace Trace { get; }

    /// <summary>The listening socket.</summary>
    protected TracedSocket Listener => _listener ?? throw new InvalidOperationException("The server has not started.");

    /// <summary>The address and port the server listens on.</summary>
    public IPEndPoint EndPoint => Listener.LocalEndPoint!;

    /// <summary>The port the server listens on (chosen by the OS when started with port 0).</summary>
    public int Port => EndPoint.Port;

    /// <summary>Whether the server's loop is still running.</summary>
    public bool IsRunning => !_loop.IsCompleted;

    /// <summary>The exception that ended the loop, if it ended by failing rather than by <see cref="Stop"/>.</summary>
    public Exception? Failure { get; private set; }

    /// <summary>Fires when <see cref="Stop"/> is called; loops check it between calls.</summary>
    protected CancellationToken Stopping => _stopping.Token;

    /// <summary>Names of the servers running now, in this process.</summary>
    public static IReadOnlyList<string> Running
    {
        get
        {
            lock (s_running)
            {
                return s_running.Keys.Order().ToArray();
            }
        }
    }

    /// <summary>Stops every server this process started (a notebook's last cell, or a test's cleanup).</summary>
    public static void StopAll()
    {
        BackgroundServer[] all;
        lock (s_running)
        {
            all = s_running.Values.ToArray();
        }
        foreach (var server in all)
        {
            server.Stop();
        }
    }

    /// <summary>
    /// Binds and listens (so <see cref="Port"/> is known when this returns), then runs
    /// <see cref="RunAsync"/> on a thread of its own: the loops block in <c>Accept</c>/<c>Select</c>
    /// and must not tie up the thread pool.
    /// </summary>
    protected void Start(IPEndPoint endPoint, int backlog = 128)
    {
        // One start at a time: looking up the old server, stopping it and registering the new one
        // must not interleave with another start under the same name, or one of them would be
        // left running unregistered, out of reach of StopAll.
        lock (s_starting)
        {
            BackgroundServer? previous;
            lock (s_running)
            {
                s_running.TryGetValue(Name, out previous);
            }
            previous?.Stop();

            _listener = TracedSocket.Tcp(Trace, Side, endPoint.AddressFamily);
            try
            {
                _listener.Bind(endPoint);
                _listener.Listen(backlog);
            }
            catch (Exception e)
            {
                // A port already taken must not leave a half-made listener behind.
                _listener.Close(CloseReason.SocketError, e is SocketException s ? $"bind or listen failed: {s.SocketErrorCode}" : $"bind or listen failed: {e.GetType().Name}");
                throw;
            }
            lock (s_running)
            {
                s_running[Name] = this;
            }
        }
        _loop = Task.Factory.StartNew(RunGuardedAsync, CancellationToken.None,
            TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap();
    }

    /// <summary>The server's loop. It returns, or throws anything, once <see cref="Stopping"/> fires.</summary>
    protected abstract Task RunAsync(CancellationToken stopping);

    /// <summary>Remembers a connection so <see cref="Stop"/> can close it.</summary>
    protected TracedSocket Track(TracedSocket connection)
    {
        _open.TryAdd(connection, 0);
        return connection;
    }

    /// <summary>How many connections are open now: tracked (<see cref="Track"/>) and not yet closed (<see cref="CloseConnection"/>).</summary>
    protected int TrackedConnections => _open.Count;

    /// <summary>
    /// Closes a connection for <paramref name="reason"/> (with <paramref name="detail"/> in the trace) and
    /// forgets it; with <paramref name="reset"/>, by a reset (linger 0) instead of a FIN.
    /// </summary>
    protected void CloseConnection(TracedSocket connection, CloseReason reason, string? detail = null, bool reset = false)
    {
        ArgumentNullException.ThrowIfNull(connection);
        _open.TryRemove(connection, out _);
        if (reset)
        {
            connection.Abort(reason, detail);
        }
        else
        {
            connection.Close(reason, detail);
        }
    }

    /// <summary>
    /// Stops the loop, closes the listener and every open connection, and waits (bounded) for the
    /// loop to end. Safe to call more than once.
    /// </summary>
    public void Stop()
    {
        if (!_stopping.IsCancellationRequested)
        {
            _stopping.Cancel();
            // Closing the sockets is what wakes a loop blocked in Accept, Receive or Select.
            _listener?.Close(CloseReason.Stopped);
            foreach (var connection in _open.Keys)
            {
                ShutdownSend(connection);
                CloseConnection(connection, CloseReason.Stopped);
            }
        }
        if (!_loop.Wait(s_stopTimeout))
        {
            Trace.Record(0, Side, TraceKind.Error, 0, 0, note: $"{Name}: loop did not end within {s_stopTimeout.TotalSeconds} s");
        }
        lock (s_running)
        {
            if (s_running.TryGetValue(Name, out var current) && current == this)
            {
                s_running.Remove(Name);
            }
        }
    }

    // The loop thread may be inside a call on this socket right now (Select, Receive). .NET on Linux
    // closes such a socket abortively, with a reset, unless its sending side was shut down first
    // (SafeSocketHandle.TryUnblockSocket, dotnet/runtime): so a stopping server says FIN first, and
    // its clients read the end of the stream instead of ConnectionReset.
    private static void ShutdownSend(TracedSocket connection)
    {
        try
        {
            connection.Socket.Shutdown(SocketShutdown.Send);
        }
        catch (SocketException)
        {
            // Already reset or not connected: the close that follows is all there is to do.
        }
        catch (ObjectDisposedException)
        {
            // The loop closed it first.
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        Stop();
        _stopping.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <inheritdoc/>
    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public override string ToString() => $"{GetType().Name} '{Name}' on {_listener?.LocalEndPoint}{(IsRunning ? "" : " (stopped)")}";

    private async Task RunGuardedAsync()
    {
        try
        {
            await RunAsync(_stopping.Token).ConfigureAwait(false);
        }
        catch (Exception) when (_stopping.IsCancellationRequested)
        {
            // Stop() closed the sockets under the loop; whatever it threw on the way out is expected.
        }
        catch (Exception e)
        {
            Failure = e;
            Trace.Record(0, Side, TraceKind.Error, 0, 0, note: $"{Name} failed: {e.GetType().Name}: {e.Message}");
        }
    }
}
