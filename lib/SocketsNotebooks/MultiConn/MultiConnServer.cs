using System.Net.Sockets;
using SocketsNotebooks.Hosting;
using SocketsNotebooks.Selectors;
using SocketsNotebooks.Tracing;

namespace SocketsNotebooks.MultiConn;

/// <summary>
/// The tutorial's multi-connection echo server: one thread, non-blocking sockets and a
/// <see cref="Selector"/>. The loop (<see cref="SelectorServer"/>) mirrors <c>multiconn-server.py</c>:
/// the listener is registered for reading; a readable listener means <see cref="AcceptWrapper"/>, a
/// ready connection means <see cref="ServiceConnection"/>. Every call is recorded in the
/// <see cref="BackgroundServer.Trace"/> and every wake-up in <see cref="Stats"/>.
/// </summary>
public sealed class MultiConnServer : SelectorServer
{
    private readonly byte[] _receiveBuffer;

    private MultiConnServer(string name, Trace trace, MultiConnServerOptions options)
        : base(name, trace, options.Log, options.TimeProvider, options.Selector, options.MaxConnections)
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
        if (options.Naive && options.SendAtOnce)
        {
            throw new ArgumentException("SendAtOnce fixes the loop that asks for Write only when needed; the naive loop always asks for Write, so choose one of Naive and SendAtOnce.", nameof(options));
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
        return base.RunAsync(stopping);
    }

    /// <inheritdoc/>
    protected override TimeSpan? SelectTimeout =>
        Options.IdleTimeout is { } idle && (Options.SelectTimeout is null || idle < Options.SelectTimeout) ? idle : Options.SelectTimeout;

    /// <summary>
    /// The tutorial's <c>accept_wrapper</c> (the loop already called <c>accept()</c> and
    /// <c>setblocking(False)</c>): register the connection for reading with a fresh per-connection state.
    /// </summary>
    protected override void AcceptWrapper(TracedSocket connection)
    {
        var state = new ServerConnection(connection, Stats.NowMs) { LastActivity = Time.GetTimestamp() };
        if (Logging)
        {
            Log($"Accepted connection from {state.PythonPeer}");
        }
        Stats.Opened(connection.Conn, state.Peer);
        // Fixed loop: watch for Read only; write-readiness is asked for once there is something to send.
        var events = Options.Interest?.Invoke(0, false) ?? (Naive ? SelectorEvents.Read | SelectorEvents.Write : SelectorEvents.Read);
        Selector.Register(connection, events, state);
    }

    /// <inheritdoc/>
    protected override void AfterWakeUp(int reported, int serviced)
    {
        Stats.WakeUp(reported, serviced);
        if (Options.IdleTimeout is { } limit)
        {
            CloseIdle(limit);
        }
    }

    /// <inheritdoc/>
    protected override void OnClosed(SelectorConnection connection, CloseReason reason, string detail) =>
        Stats.Closed(connection.Socket.Conn, reason);

    /// <summary>
    /// The tutorial's <c>service_connection</c>: on Read, <c>recv()</c> and queue the bytes to echo
    /// (0 bytes = the peer's FIN); on Write, <c>send()</c> what is queued. With
    /// <see cref="MultiConnServerOptions.SendAtOnce"/>, bytes just queued go out in the same wake-up.
    /// Returns 1 if it moved bytes or closed the connection, 0 if the wake-up was for nothing. A socket
    /// error closes the connection (the loop catches it: <see cref="CloseReason.PeerReset"/> or <see cref="CloseReason.SocketError"/>).
    /// </summary>
    protected override int ServiceConnection(SelectorKey key, SelectorEvents mask)
    {
        var state = (ServerConnection)key.Data!;
        var sock = state.Socket;
        int serviced = 0;
        bool sendNow = false;
        if ((mask & SelectorEvents.Read) != 0)
        {
            int received = sock.Receive(_receiveBuffer);
            serviced = 1;
            if (received > 0)
            {
                state.Outb.Write(_receiveBuffer.AsSpan(0, received));
                state.LastActivityMs = Stats.NowMs;
                state.LastActivity = Time.GetTimestamp();
                Stats.Received(sock.Conn, received);
                // Not while it waits for Write: its send buffer was full a moment ago.
                sendNow = Options.SendAtOnce && (key.Events & SelectorEvents.Write) == 0;
            }
            else
            {
                // FIN: the peer will send no more. It may still be reading, so what is queued
                // goes out first (the tutorial closes at once and drops it).
                state.PeerFinished = true;
            }
        }
        if (sendNow || ((mask & SelectorEvents.Write) != 0 && state.Outb.Length > 0))
        {
            if (Logging)
            {
                Log($"Echoing {PythonBytes.Repr(state.Outb.Pending, 60)} to {state.PythonPeer}");
            }
            int sent = sendNow ? SendWithoutWaiting(sock, state.Outb.Pending) : sock.Send(state.Outb.Pending);
            state.Outb.Consume(sent);
            if (sent > 0)
            {
                Stats.Sent(sock.Conn, sent);
                state.LastActivity = Time.GetTimestamp();
            }
            serviced = 1;
        }

        if (state.PeerFinished && state.Outb.Length == 0)
        {
            Close(state, CloseReason.PeerClosed);
            return 1;
        }
        UpdateInterest(key, state);
        return serviced;
    }

    // No wake-up said this socket is writable, so its send buffer may be full: then send() takes
    // nothing (WouldBlock) and the bytes wait for Write like the rest of a partial send.
    private static int SendWithoutWaiting(TracedSocket sock, ReadOnlySpan<byte> pending)
    {
        int sent = sock.Send(pending, SocketFlags.None, out var error);
        return error switch
        {
            SocketError.Success => sent,
            SocketError.WouldBlock => 0,
            _ => throw new SocketException((int)error),
        };
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
            Selector.Modify(key, wanted);
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
        foreach (var key in Selector.Keys)
        {
            if (key.Data is ServerConnection state && Time.GetElapsedTime(state.LastActivity) > limit)
            {
                Close(state, CloseReason.IdleTimeout, $"nothing received for {limit.TotalSeconds:0.###} s");
            }
        }
    }
}
