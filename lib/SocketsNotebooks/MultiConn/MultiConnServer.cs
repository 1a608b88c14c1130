using System.Net.Sockets;
using SocketsNotebooks.Hosting;
using SocketsNotebooks.Tracing;

namespace SocketsNotebooks.MultiConn;

/// <summary>
/// The tutorial's multi-connection echo server: one thread, non-blocking sockets and a
/// <see cref="Selector"/>. The loop mirrors <c>multiconn-server.py</c>: the listener is registered for
/// reading; a readable listener means <see cref="AcceptWrapper"/>, a ready connection means
/// <see cref="ServiceConnection"/>. Every call is recorded in the <see cref="BackgroundServer.Trace"/>
/// and every wake-up in <see cref="Stats"/>.
/// </summary>
public sealed class MultiConnServer : BackgroundServer
{
    private readonly Selector _selector = new();
    private readonly byte[] _receiveBuffer;

    private MultiConnServer(string name, Trace trace, MultiConnServerOptions options)
        : base(name, trace)
    {
        Options = options;
        _receiveBuffer = new byte[options.ReceiveSize];
    }

    /// <summary>The settings it runs with.</summary>
    public MultiConnServerOptions Options { get; }

    /// <summary>Whether it runs the tutorial's always-<c>Read | Write</c> registration.</summary>
    public bool Naive => Options.Naive;

    /// <summary>Wake-ups, idle wake-ups and per-connection bytes, live.</summary>
    public LoopStats Stats { get; } = new();

    /// <summary>What the loop's selector watches right now (a snapshot): the listener plus one key per open connection.</summary>
    public IReadOnlyList<SelectorKey> Keys => _selector.Keys;

    /// <summary>
    /// Starts a server on a thread of its own and returns once it listens. A server already running
    /// under <paramref name="name"/> is stopped first, so a notebook can re-run the cell.
    /// </summary>
    public static MultiConnServer Start(Trace trace, MultiConnServerOptions? options = null, string name = "multiconn")
    {
        options ??= new MultiConnServerOptions();
        if (options.ReceiveSize <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.ReceiveSize, "ReceiveSize must be positive.");
        }
        var server = new MultiConnServer(name, trace, options);
        server.Start(options.EndPoint, options.Backlog);
        return server;
    }

    /// <summary>Starts a server with the default settings, naive or not.</summary>
    public static MultiConnServer Start(Trace trace, bool naive, string name = "multiconn") =>
        Start(trace, new MultiConnServerOptions { Naive = naive }, name);

    /// <inheritdoc/>
    protected override Task RunAsync(CancellationToken stopping)
    {
        Stats.LoopThreadId = Environment.CurrentManagedThreadId;
        // The tutorial: lsock.setblocking(False); sel.register(lsock, EVENT_READ, data=None).
        // data = null is how the loop tells the listener from a connection.
        Listener.Blocking = false;
        _selector.Register(Listener, SelectorEvents.Read, data: null);

        var timeout = Options.SelectTimeout;
        if (Options.IdleTimeout is { } idle && (timeout is null || idle < timeout))
        {
            timeout = idle;
        }
        try
        {
            while (!stopping.IsCancellationRequested)
            {
                var events = _selector.Select(timeout);
                int serviced = 0;
                foreach (var (key, mask) in events)
                {
                    serviced += key.Data is null ? AcceptWrapper(key.Traced!) : ServiceConnection(key, mask);
                }
                Stats.WakeUp(events.Count, serviced);
                if (Options.IdleTimeout is { } limit)
                {
                    CloseIdle(limit);
                }
            }
        }
        finally
        {
            // Stop() closes these sockets; the stats should say so too.
            foreach (var key in _selector.Keys)
            {
                if (key.Data is ServerConnection state)
                {
                    Stats.Closed(state.Socket.Conn, CloseReason.Stopped);
                }
            }
        }
        return Task.CompletedTask;
    }

    /// <summary>
    /// The tutorial's <c>accept_wrapper</c>: accept one connection, make it non-blocking and register
    /// it for reading with a fresh per-connection state. Returns 1 (it did something).
    /// </summary>
    private int AcceptWrapper(TracedSocket listener)
    {
        // One accept per wake-up, like the tutorial: if more connections wait, the listener is
        // still readable and the next Select returns at once.
        TracedSocket connection;
        try
        {
            connection = Track(listener.Accept());
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.WouldBlock or SocketError.ConnectionAborted)
        {
            // The client gave up between Select and Accept: nothing to do (the trace has the error).
            return 0;
        }
        catch (SocketException e) when (!Stopping.IsCancellationRequested)
        {
            // E.g. out of file descriptors (EMFILE). The connection stays in the backlog and the
            // listener stays readable, so the loop retries on its next wake-up; the connections
            // already open carry on. The trace has the error.
            Options.Log?.Invoke($"accept() failed: {e.SocketErrorCode}");
            return 0;
        }
        connection.Blocking = false;
        Options.Log?.Invoke($"Accepted connection from {PythonAddress.Of(connection.RemoteEndPoint)}");
        var state = new ServerConnection(connection, Stats.NowMs);
        Stats.Opened(connection.Conn, state.Peer);
        // Fixed loop: watch for Read only; write-readiness is asked for once there is something to send.
        var events = Options.Interest?.Invoke(0, false) ?? (Naive ? SelectorEvents.Read | SelectorEvents.Write : SelectorEvents.Read);
        _selector.Register(connection, events, state);
        return 1;
    }

    /// <summary>
    /// The tutorial's <c>service_connection</c>: on Read, <c>recv()</c> and queue the bytes to echo
    /// (0 bytes = the peer's FIN); on Write, <c>send()</c> what is queued. Returns 1 if it moved
    /// bytes or closed the connection, 0 if the wake-up was for nothing.
    /// </summary>
    private int ServiceConnection(SelectorKey key, SelectorEvents mask)
    {
        var state = (ServerConnection)key.Data!;
        var sock = state.Socket;
        int serviced = 0;
        try
        {
            if ((mask & SelectorEvents.Read) != 0)
            {
                int received = sock.Receive(_receiveBuffer);
                serviced = 1;
                if (received > 0)
                {
                    state.Outb.Write(_receiveBuffer.AsSpan(0, received));
                    state.LastActivityMs = Stats.NowMs;
                    Stats.Received(sock.Conn, received);
                }
                else
                {
                    // FIN: the peer will send no more. It may still be reading, so what is queued
                    // goes out first (the tutorial closes at once and drops it).
                    state.PeerFinished = true;
                }
            }
            if ((mask & SelectorEvents.Write) != 0 && state.Outb.Length > 0)
            {
                Options.Log?.Invoke($"Echoing {PythonBytes.Repr(state.Outb.Pending, 60)} to {state.PythonPeer}");
                int sent = sock.Send(state.Outb.Pending);
                state.Outb.Consume(sent);
                Stats.Sent(sock.Conn, sent);
                serviced = 1;
            }
        }
        catch (SocketException e)
        {
            Close(state, e.SocketErrorCode is SocketError.ConnectionReset or SocketError.ConnectionAborted or SocketError.Shutdown
                ? CloseReason.PeerReset
                : CloseReason.SocketError, $"{e.SocketErrorCode}");
            return 1;
        }

        if (state.PeerFinished && state.Outb.Length == 0)
        {
            Close(state, CloseReason.PeerClosed);
            return 1;
        }
        UpdateInterest(key, state);
        return serviced;
    }

    // The fix for the busy loop: the events mask follows the state (see WriteWhenNeeded), or the
    // rule a learner wrote (Options.Interest). The naive loop never changes its Read | Write.
    private void UpdateInterest(SelectorKey key, ServerConnection state)
    {
        SelectorEvents wanted;
        if (Options.Interest is { } rule)
        {
            wanted = rule(state.Outb.Length, state.PeerFinished);
        }
        else if (Naive)
        {
            // After the FIN the read side is done for good; keep spinning on Write like the tutorial.
            wanted = state.PeerFinished ? SelectorEvents.Write : SelectorEvents.Read | SelectorEvents.Write;
        }
        else
        {
            wanted = WriteWhenNeeded(state.Outb.Length, state.PeerFinished);
            if (state.Outb.Length >= Options.MaxPendingBytes)
            {
                // Back-pressure: stop reading until the peer has taken some of its echo.
                wanted &= ~SelectorEvents.Read;
            }
        }
        if (wanted != key.Events)
        {
            _selector.Modify(key, wanted);
        }
    }

    /// <summary>
    /// The events mask of a connection with <paramref name="bytesToSend"/> queued, whose peer has
    /// (<paramref name="peerFinished"/>) or has not sent its FIN: Read while the peer may still send,
    /// Write only while something waits to go out. (A socket whose peer finished stays readable for
    /// good - every recv returns 0 at once - so keeping Read after the FIN would spin too.)
    /// </summary>
    public static SelectorEvents WriteWhenNeeded(int bytesToSend, bool peerFinished) =>
        (peerFinished ? SelectorEvents.None : SelectorEvents.Read) | (bytesToSend > 0 ? SelectorEvents.Write : SelectorEvents.None);

    private void CloseIdle(TimeSpan limit)
    {
        double now = Stats.NowMs;
        foreach (var key in _selector.Keys)
        {
            if (key.Data is ServerConnection state && now - state.LastActivityMs > limit.TotalMilliseconds)
            {
                Close(state, CloseReason.IdleTimeout, $"nothing received for {limit.TotalSeconds:0.###} s");
            }
        }
    }

    private void Close(ServerConnection state, CloseReason reason, string detail = "")
    {
        // The tutorial: sel.unregister(sock) before sock.close(); a closed socket left in the
        // selector would make the next Select fail.
        Options.Log?.Invoke($"Closing connection to {state.PythonPeer} ({reason}{(detail.Length > 0 ? ": " + detail : "")})");
        _selector.Unregister(state.Socket);
        if (detail.Length > 0)
        {
            state.Socket.RecordError($"{reason}: {detail}");
        }
        Stats.Closed(state.Socket.Conn, reason);
        CloseConnection(state.Socket, reason.ToString());
    }
}
