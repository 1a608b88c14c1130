using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using SocketsNotebooks.Hosting;
using SocketsNotebooks.Tracing;

namespace SocketsNotebooks.Network;

/// <summary>
/// "A network in a box": a loopback relay between a client and a server that re-cuts the byte
/// stream into chosen pieces. On loopback a small message nearly always arrives in one
/// <c>recv()</c>, so the partial reads the Python tutorial warns about never show; put a relay
/// in between and the server's own, unchanged code sees them. Connect the client to
/// <see cref="BackgroundServer.EndPoint"/> instead of the server.
/// </summary>
/// <remarks>
/// <para>Each piece is one <c>send()</c> on a TCP_NODELAY socket (so Nagle's algorithm does not
/// glue pieces back together), followed by a pause before the next piece. A pause alone is not
/// enough for the cut to show every time: the receiving thread must be scheduled and call
/// <c>recv()</c> before the next piece lands, and on a busy machine that can take several
/// milliseconds, after which two pieces come out of one <c>recv()</c>. So when the relay records
/// into the same <see cref="Trace"/> as the client and the server, it also <em>paces</em> itself by
/// them: after each piece it waits (up to <see cref="PaceTimeout"/>) until the receiver's recorded
/// <c>recv()</c> calls have taken every byte sent so far. Each <c>recv()</c> then sees exactly one
/// piece (or less, if its buffer is smaller). With its own trace (the default) the relay cannot see
/// the receiver and only pauses.</para>
/// <para>When a wait runs out, the relay records why as an <see cref="TraceKind.Error"/> event of
/// its own whose note starts with <c>relay pacing</c>, because from then on pieces may reach the
/// receiver glued together. A receiver with no call in the trace yet is not waited for again
/// until it shows up there; this is decided for each connection and direction on its own.</para>
/// <para>The relay's own calls record as <see cref="Side.Relay"/>; filter by side
/// (<c>trace.Recvs(Side.Server)</c>) for a chart of the server alone. The server's end of a relayed
/// connection gets the client's connection id, so one conversation has one id on both legs.</para>
/// <para>A half-close passes through (the client's FIN becomes the relay's shutdown of its upstream
/// send side) and a reset on either side resets the other.</para>
/// </remarks>
public sealed class Relay : BackgroundServer
{
    // 16 KiB per direction keeps hundreds of connections cheap; pieces are usually far smaller.
    private const int ReadBufferSize = 16 * 1024;
    // How the note a learner finds in the trace (side relay, kind error) when pieces may have been glued starts.
    internal const string PacingNotePrefix = "relay pacing";

    private static readonly TimeSpan s_connectTimeout = TimeSpan.FromSeconds(5);

    private readonly IPEndPoint _upstream;
    private readonly ConcurrentDictionary<(int Conn, Side Side), Reader> _readers = new();
    private readonly ConcurrentDictionary<Task, byte> _connections = new();
    private readonly bool _pace;

    private Relay(IPEndPoint upstream, Pieces pieces, Trace trace, TimeSpan delay, string name, bool pace)
        : base(name, trace, Side.Relay)
    {
        _upstream = upstream;
        Pieces = pieces;
        Delay = delay;
        _pace = pace;
    }

    /// <summary>How the relay cuts the stream.</summary>
    public Pieces Pieces { get; }

    /// <summary>The pause after each piece before the next one is sent.</summary>
    public TimeSpan Delay { get; }

    /// <summary>
    /// The longest the relay waits for the receiver to read a piece before it sends the next one anyway
    /// (and records a note saying so). A receiver recorded in the trace reads long before this; the
    /// full wait is only spent on one that is missing from the trace, stalled or gone, so it is
    /// generous enough for a busy machine. Can be changed while the relay runs.
    /// </summary>
    public TimeSpan PaceTimeout { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>Where the relay forwards each connection: the real server.</summary>
    public IPEndPoint Upstream => _upstream;

    /// <summary>
    /// Starts a relay on 127.0.0.1 (a free port) that forwards every connection to <paramref name="upstream"/>,
    /// cutting both directions into <paramref name="pieces"/> with <paramref name="delay"/> (default 1 ms)
    /// after each. Pass the trace the client and server record into to see the relay's calls next to
    /// theirs and to let it pace the pieces by the receiver (see the remarks on <see cref="Relay"/>);
    /// without one the relay keeps its own trace (<see cref="BackgroundServer.Trace"/>).
    /// </summary>
    public static Relay Start(IPEndPoint upstream, Pieces pieces, Trace? trace = null, TimeSpan? delay = null,
        string name = "relay", IPEndPoint? endPoint = null, bool pace = true)
    {
        ArgumentNullException.ThrowIfNull(upstream);
        ArgumentNullException.ThrowIfNull(pieces);
        var relay = new Relay(upstream, pieces, trace ?? new Trace(), delay ?? TimeSpan.FromMilliseconds(1), name,
            pace && trace is not null);
        relay.Start(endPoint ?? new IPEndPoint(IPAddress.Loopback, 0), backlog: 1024);
        return relay;
    }

    /// <inheritdoc/>
    protected override async Task RunAsync(CancellationToken stopping)
    {
        if (_pace)
        {
            Trace.Recorded += OnRecorded;
        }
        try
        {
            while (!stopping.IsCancellationRequested)
            {
                var downstream = Track(await Listener.AcceptAsync(stopping).ConfigureAwait(false));
                if (stopping.IsCancellationRequested)
                {
                    CloseConnection(downstream, CloseReason.Stopped);
                    break;
                }
                var connection = RelayConnectionAsync(downstream, stopping);
                _connections.TryAdd(connection, 0);
                _ = connection.ContinueWith(done => _connections.TryRemove(done, out _), TaskScheduler.Default);
            }
        }
        finally
        {
            try
            {
                // Stop() has closed every socket, so the connections end promptly.
                await Task.WhenAll(_connections.Keys).WaitAsync(s_connectTimeout).ConfigureAwait(false);
            }
            finally
            {
                Trace.Recorded -= OnRecorded;
            }
        }
    }

    private async Task RelayConnectionAsync(TracedSocket downstream, CancellationToken stopping)
    {
        await Task.Yield();
        var upstream = Track(TracedSocket.Tcp(Trace, Side.Relay, _upstream.AddressFamily));
        int conn = downstream.Conn;
        var toServer = NewReader(conn, Side.Server);
        var toClient = NewReader(conn, Side.Client);
        try
        {
            downstream.NoDelay = true;
            upstream.NoDelay = true;
            if (IPAddress.IsLoopback(_upstream.Address))
            {
                // Bound before connecting, so the server's end can be given the client's id.
                upstream.Bind(new IPEndPoint(_upstream.Address, 0));
                Trace.LinkConnection(upstream.LocalEndPoint!, _upstream, conn);
            }
            using (var connectTimeout = CancellationTokenSource.CreateLinkedTokenSource(stopping))
            {
                connectTimeout.CancelAfter(s_connectTimeout);
                await upstream.ConnectAsync(_upstream, connectTimeout.Token).ConfigureAwait(false);
            }
            await Task.WhenAll(
                PumpAsync(downstream, upstream, toServer, stopping),
                PumpAsync(upstream, downstream, toClient, stopping)).ConfigureAwait(false);
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The upstream refused or timed out, or the relay is stopping: the client learns by a reset.
            var reason = stopping.IsCancellationRequested ? CloseReason.Stopped : CloseReason.ConnectFailed;
            CloseConnection(upstream, reason);
            CloseConnection(downstream, reason, stopping.IsCancellationRequested ? null : $"relay could not reach {_upstream}: {Reason(e)}", reset: true);
        }
        finally
        {
            _readers.TryRemove((conn, Side.Server), out _);
            _readers.TryRemove((conn, Side.Client), out _);
            // Both directions ended with a FIN passed on (sockets closed on the way out are not closed twice).
            CloseConnection(upstream, CloseReason.PeerClosed);
            CloseConnection(downstream, CloseReason.PeerClosed);
        }
    }

    // One direction: read what arrives, send it on cut into pieces, and pass the FIN on.
    private async Task PumpAsync(TracedSocket from, TracedSocket to, Reader? receiver, CancellationToken stopping)
    {
        var buffer = new byte[ReadBufferSize];
        var cut = Pieces.NewCutter();
        long forwarded = 0;
        try
        {
            while (true)
            {
                int received = await from.ReceiveAsync(buffer, stopping).ConfigureAwait(false);
                if (received == 0)
                {
                    // FIN: the sender is done; half-close towards the receiver, which may still answer.
                    to.Shutdown(SocketShutdown.Send);
                    return;
                }
                for (int offset = 0; offset < received;)
                {
                    int size = Math.Min(cut(), received - offset);
                    await to.SendAllAsync(buffer.AsMemory(offset, size), stopping).ConfigureAwait(false);
                    offset += size;
                    forwarded += size;
                    if (receiver is not null)
                    {
                        var paced = await receiver.WaitUntilReadAsync(forwarded, PaceTimeout, stopping).ConfigureAwait(false);
                        if (paced != Pace.Read)
                        {
                            to.RecordError(PacingNote(paced, receiver.Side, PaceTimeout));
                        }
                    }
                    if (Delay > TimeSpan.Zero)
                    {
                        await Task.Delay(Delay, stopping).ConfigureAwait(false);
                    }
                }
            }
        }
        catch (SocketException e) when (e.IsPeerReset() && !stopping.IsCancellationRequested)
        {
            // A reset on one side resets the other side too: the relay is as invisible as a router.
            from.Abort(CloseReason.PeerReset, e.SocketErrorCode.ToString());
            to.Abort(CloseReason.PeerReset, "passed on from the other side");
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The relay stopping, or another error on one side (e.g. closed by the other pump): end both sides.
            var reason = stopping.IsCancellationRequested ? CloseReason.Stopped : CloseReason.SocketError;
            from.Abort(reason, stopping.IsCancellationRequested ? null : Reason(e));
            to.Abort(reason);
        }
    }

    private Reader? NewReader(int conn, Side side)
    {
        if (!_pace)
        {
            return null;
        }
        var reader = new Reader(side);
        _readers[(conn, side)] = reader;
        return reader;
    }

    // Called on whichever thread recorded the event; only counts bytes, so it is quick.
    private void OnRecorded(TraceEvent recorded)
    {
        if (recorded.Side == Side.Relay || !_readers.TryGetValue((recorded.Conn, recorded.Side), out var reader))
        {
            return;
        }
        switch (recorded.Kind)
        {
            case TraceKind.Recv:
                reader.Read(recorded.Moved);
                break;
            case TraceKind.Close:
                reader.Closed();
                break;
            default:
                reader.Read(0);
                break;
        }
    }

    private static string PacingNote(Pace paced, Side receiver, TimeSpan timeout)
    {
        string who = receiver.ToString().ToLowerInvariant();
        string seconds = timeout.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture);
        return paced == Pace.GaveUp
            ? $"{PacingNotePrefix}: no call of the {who}'s on this connection in the trace after {seconds} s, so the relay "
                + $"sends on without waiting for its recv(); pieces may arrive glued together until the {who} shows up"
            : $"{PacingNotePrefix}: the {who} had not read the last piece after {seconds} s (a busy machine?); the relay "
                + "sent the next one anyway, so two pieces may arrive in one recv()";
    }

    private static string Reason(Exception e) => e is SocketException s ? s.SocketErrorCode.ToString() : e.GetType().Name;

    // How one wait for the receiver ended.
    private enum Pace
    {
        Read,      // the receiver took every byte sent so far (or is gone, or waiting is off until it shows up)
        TimedOut,  // it is in the trace but did not read within the timeout
        GaveUp,    // it has no call in the trace: stop waiting for it until it has
    }

    // What one receiver (the server or the client of one connection) has read, as its trace shows it.
    private sealed class Reader(Side side)
    {
        private readonly SemaphoreSlim _progress = new(0);
        private long _read;
        private bool _seen;
        private bool _closed;
        private bool _givenUp;

        public Side Side => side;

        // Any call of the receiver's counts as a sign of life: an accept or connect shows it is
        // recorded in this trace long before its first recv() returns data.
        public void Read(int bytes)
        {
            Interlocked.Add(ref _read, bytes);
            Volatile.Write(ref _seen, true);
            _progress.Release();
        }

        // A receiver that has closed reads nothing more: waiting for it would only cost the timeout.
        public void Closed()
        {
            Volatile.Write(ref _closed, true);
            Read(0);
        }

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
}
