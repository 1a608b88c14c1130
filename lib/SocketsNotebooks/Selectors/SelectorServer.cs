using System.Net.Sockets;
using SocketsNotebooks.Hosting;
using SocketsNotebooks.Tracing;

namespace SocketsNotebooks.Selectors;

/// <summary>
/// The event loop of <c>multiconn-server.py</c>, written once for every selector-driven server of the
/// course (notebook 02's multi-connection echo server, the application server, the pub/sub broker): one thread, a
/// <see cref="Selector"/>, the listener registered for reading with no data. A readable listener
/// means accept, then the server's <see cref="AcceptWrapper"/>; a ready connection means the server's
/// <see cref="ServiceConnection"/>. What a server owns is what happens to one connection; what it
/// cannot do is stop the loop: a failed <c>accept()</c> is recorded and retried, and anything thrown
/// while one connection is served closes that connection with a <see cref="CloseReason"/>. It holds at
/// most <see cref="MaxConnections"/> connections, so the process keeps descriptors for the runtime.
/// </summary>
public abstract partial class SelectorServer : BackgroundServer
{
    private readonly Action<string>? _log;
    private readonly AcceptGuard _acceptGuard;
    private readonly int? _maxConnections;

    /// <summary>
    /// Sets the name, trace, log callback (the tutorial's prints; may be null), the selector the loop
    /// waits with (<see cref="Selector"/> unless told otherwise), the clock (null = the system's; a
    /// test passes a fake one) and the cap on connections (null = from the descriptor limit, see
    /// <see cref="MaxConnections"/>); then call <see cref="BackgroundServer.Start"/>.
    /// </summary>
    protected SelectorServer(string name, Trace trace, Action<string>? log, TimeProvider? time = null, SelectorKind selector = SelectorKind.Select,
        int? maxConnections = null)
        : base(name, trace)
    {
        if (maxConnections is < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(maxConnections), maxConnections, "MaxConnections must be at least 1.");
        }
        _log = log;
        _maxConnections = maxConnections;
        MaxConnections = maxConnections;
        Time = time ?? TimeProvider.System;
        _acceptGuard = new AcceptGuard(Time);
        Selector = BaseSelector.Create(selector);
    }

    /// <summary>The clock every deadline of this server is measured on.</summary>
    protected TimeProvider Time { get; }

    /// <summary>The loop's selector (the tutorial's <c>sel</c>): the same calls on either kind.</summary>
    protected BaseSelector Selector { get; }

    /// <summary>What the loop's selector watches right now (a snapshot): the listener plus one key per open connection.</summary>
    public IReadOnlyList<SelectorKey> Keys => Selector.Keys;

    /// <summary>
    /// The most connections this server holds at once; one more is accepted and closed at once
    /// (<see cref="CloseReason.Overloaded"/>). Unless the server was given a smaller cap, it is set when
    /// the loop starts: the process's soft descriptor limit (<c>ulimit -n</c>) less a reserve for the
    /// runtime less what the process has open then. Null: no cap (the limit cannot be read, or there is none).
    /// </summary>
    public int? MaxConnections { get; private set; }

    /// <summary>How long one <c>Select</c> may wait; null waits until a socket is ready.</summary>
    protected abstract TimeSpan? SelectTimeout { get; }

    /// <inheritdoc/>
    protected override Task RunAsync(CancellationToken stopping)
    {
        // The tutorial: lsock.setblocking(False); sel.register(lsock, EVENT_READ, data=None).
        // data = null is how the loop tells the listener from a connection.
        Listener.Blocking = false;
        // Before the first accept: a process that runs out of descriptors later can still serve.
        WarmUp();
        _acceptGuard.TakeSpare();
        // Counted after the warm-up, the spare and the selector's own descriptors, so those are in it.
        // What it does not cover: descriptors the process opens later for something else (another
        // server in the same notebook kernel, a file, a client socket). The reserve absorbs a few; past
        // that, AcceptGuard's EMFILE handling is still the last line of defence.
        if (DescriptorBudget.DefaultMaxConnections() is { } budget && (_maxConnections is null || budget < _maxConnections))
        {
            MaxConnections = budget;
        }
        Selector.Register(Listener, SelectorEvents.Read, data: null);
        // Stop() closes the sockets; that wakes Socket.Select, but not epoll_wait.
        using var wake = stopping.Register(Selector.Wake);
        try
        {
            while (!stopping.IsCancellationRequested)
            {
                var events = Selector.Select(_acceptGuard.IsPaused ? _acceptGuard.Shorter(SelectTimeout) : SelectTimeout);
                int serviced = 0;
                foreach (var (key, mask) in events)
                {
                    serviced += key.Data is SelectorConnection connection
                        ? Service(key, connection, mask)
                        : Accept(key.Traced!);
                }
                if (_acceptGuard.ResumeIfDue())
                {
                    Selector.Register(Listener, SelectorEvents.Read, data: null);
                }
                AfterWakeUp(events.Count, serviced);
            }
        }
        finally
        {
            _acceptGuard.Dispose();
            // Stop() closes these sockets; the records should say so too.
            foreach (var key in Selector.Keys)
            {
                if (key.Data is SelectorConnection { IsClosed: false } connection)
                {
                    connection.CloseReason = CloseReason.Stopped;
                    OnClosed(connection, CloseReason.Stopped, "server stopped");
                }
            }
            Selector.Dispose();
        }
        return Task.CompletedTask;
    }

    /// <summary>
    /// The rest of the tutorial's <c>accept_wrapper</c>, once <c>accept()</c> and
    /// <c>setblocking(False)</c> are done: make the connection's state and <c>sel.register</c> it.
    /// Whatever it throws closes only this connection.
    /// </summary>
    protected abstract void AcceptWrapper(TracedSocket connection);

    /// <summary>
    /// The tutorial's <c>service_connection</c>: <paramref name="mask"/> says what the connection in
    /// <paramref name="key"/> is ready for. Returns 1 if it moved bytes or closed the connection, 0 if
    /// the wake-up was for nothing. A <see cref="SocketException"/> or any other exception it throws
    /// closes this connection (<see cref="CloseReason.PeerReset"/>, <see cref="CloseReason.SocketError"/>
    /// or <see cref="CloseReason.AppError"/>), never the server.
    /// </summary>
    protected abstract int ServiceConnection(SelectorKey key, SelectorEvents mask);

    /// <summary>
    /// Runs once before the first <c>accept()</c>: encode and decode one message, so every assembly a
    /// request needs is loaded while descriptors are free. .NET loads an assembly by opening its file;
    /// a load that fails because the process is out of descriptors (EMFILE) is remembered, and every
    /// later request would fail with <c>FileNotFoundException</c> long after the descriptors are back.
    /// </summary>
    protected virtual void WarmUp()
    {
    }

    /// <summary>After each return from <c>Select</c>: how many (socket, mask) pairs it reported and how many were serviced.</summary>
    protected virtual void AfterWakeUp(int reported, int serviced)
    {
    }

    /// <summary>
    /// Bookkeeping for a connection that just closed (its socket is closed right after), or was
    /// still open when the server stopped (<see cref="CloseReason.Stopped"/>).
    /// </summary>
    protected virtual void OnClosed(SelectorConnection connection, CloseReason reason, string detail)
    {
    }

    /// <summary>The tutorial's <c>sock.accept()</c> on the listener; a test can make it fail.</summary>
    protected virtual TracedSocket AcceptConnection(TracedSocket listener) => listener.Accept();

    /// <summary>Passes a line to the log callback (the tutorial's prints), if there is one.</summary>
    protected void Log(string line) => _log?.Invoke(line);

    /// <summary>
    /// Whether anyone reads <see cref="Log"/>'s lines. A line that quotes bytes or addresses costs a string or
    /// two per call; a server asks this first, so without a log the loop builds none.
    /// </summary>
    protected bool Logging => _log is not null;

    /// <summary>
    /// Closes one connection, once: unregisters it before closing (a closed socket left in the
    /// selector would make the next <c>Select</c> fail), lets the server keep its records
    /// (<see cref="OnClosed"/>), and closes the socket for <paramref name="reason"/>, with
    /// <paramref name="detail"/> in the trace just before (<see cref="TracedSocket.Close(CloseReason, string?)"/>).
    /// With <paramref name="reset"/> the close is a reset (linger 0): the peer hears at once, even when it
    /// is not reading and a FIN would wait behind the bytes it has not taken.
    /// </summary>
    protected void Close(SelectorConnection connection, CloseReason reason, string detail = "", bool reset = false)
    {
        ArgumentNullException.ThrowIfNull(connection);
        if (connection.IsClosed)
        {
            return;
        }
        connection.CloseReason = reason;
        try
        {
            Selector.Unregister(connection.Socket);
            OnClosed(connection, reason, detail);
        }
        finally
        {
            CloseConnection(connection.Socket, reason, detail, reset);
        }
        if (Logging)
        {
            TryLog($"Closing connection to {connection.PythonPeer}{(detail.Length > 0 ? $" ({reason}: {detail})" : "")}", connection.Socket);
        }
    }

    // Everything that can go wrong with one connection is caught here and closes only that one.
    private int Service(SelectorKey key, SelectorConnection connection, SelectorEvents mask)
    {
        if (connection.IsClosed)
        {
            // Cut off earlier in this same wake-up (e.g. the broker dropped a slow subscriber during a publish).
            return 0;
        }
        try
        {
            return ServiceConnection(key, mask);
        }
        catch (SocketException e) when (e.IsPeerReset() && !Stopping.IsCancellationRequested)
        {
            Close(connection, CloseReason.PeerReset, e.SocketErrorCode.ToString());
        }
        catch (SocketException e) when (!Stopping.IsCancellationRequested)
        {
            Close(connection, CloseReason.SocketError, e.SocketErrorCode.ToString());
        }
        catch (Exception e) when (e is not OutOfMemoryException && !Stopping.IsCancellationRequested)
        {
            // E.g. an action added in a notebook threw: that request fails, the server does not.
            Close(connection, CloseReason.AppError, Describe(e));
        }
        return 1;
    }

    // A connection that failed while being accepted: closed like any other if it got registered.
    private void Reject(TracedSocket connection, CloseReason reason, Exception e)
    {
        if (Selector.GetKey(connection.Socket)?.Data is SelectorConnection registered)
        {
            Close(registered, reason, Describe(e));
        }
        else
        {
            CloseConnection(connection, reason, Describe(e));
        }
    }

    private static string Describe(Exception e) =>
        e is SocketException s ? s.SocketErrorCode.ToString() : $"{e.GetType().Name}: {e.Message}";

    // A log callback that throws while a connection closes, or while accept() fails, has nothing
    // left to cost but the server: record it and carry on.
    private void TryLog(string line, TracedSocket socket)
    {
        try
        {
            Log(line);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            socket.RecordError($"log callback failed: {e.GetType().Name}: {e.Message}");
        }
    }
}
