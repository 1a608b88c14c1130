using System.Collections.Concurrent;
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
/// <para>When a wait runs out, the relay records why as an <see cref="TraceKind.Error"/> event on
/// the leg facing that receiver, whose note starts with <c>relay pacing</c>, because from then on pieces
/// may reach the receiver glued together. A receiver with no call in the trace yet is not waited for again
/// until it shows up there; this is decided for each connection and direction on its own.</para>
/// <para>The relay's own calls record on two sides, one per leg: <see cref="Side.Relay"/> for its
/// listener and the socket facing the client, <see cref="Side.RelayToServer"/> for the socket facing the
/// server, so a timeline draws each leg in a lane of its own. Filter by side (<c>trace.Recvs(Side.Server)</c>)
/// for a chart of the server alone. The server's end of a relayed connection gets the client's connection
/// id, so one conversation has one id on both legs.</para>
/// <para>A half-close passes through (the client's FIN becomes the relay's shutdown of its upstream
/// send side) and a reset on either side resets the other.</para>
/// </remarks>
public sealed class Relay : BackgroundServer
{
    // How the note a learner finds in the trace (side relay, kind error) when pieces may have been glued starts.
    internal const string PacingNotePrefix = RelayPacing.NotePrefix;

    private static readonly TimeSpan s_connectTimeout = TimeSpan.FromSeconds(5);

    private readonly IPEndPoint _upstream;
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
        using var pacing = _pace ? new RelayPacing(Trace) : null;
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
                var connection = RelayConnectionAsync(downstream, pacing, stopping);
                _connections.TryAdd(connection, 0);
                _ = connection.ContinueWith(done => _connections.TryRemove(done, out _), TaskScheduler.Default);
            }
        }
        finally
        {
            // Stop() has closed every socket, so the connections end promptly.
            await Task.WhenAll(_connections.Keys).WaitAsync(s_connectTimeout).ConfigureAwait(false);
        }
    }

    private async Task RelayConnectionAsync(TracedSocket downstream, RelayPacing? pacing, CancellationToken stopping)
    {
        await Task.Yield();
        // Its own side, so the trace (and the timeline) can tell the leg to the server from the leg to the client.
        var upstream = Track(TracedSocket.Tcp(Trace, Side.RelayToServer, _upstream.AddressFamily));
        int conn = downstream.Conn;
        var toServer = pacing?.Watch(conn, Side.Server);
        var toClient = pacing?.Watch(conn, Side.Client);
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
                RelayPump.RunAsync(this, downstream, upstream, toServer, stopping),
                RelayPump.RunAsync(this, upstream, downstream, toClient, stopping)).ConfigureAwait(false);
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
            pacing?.Forget(conn);
            // Both directions ended with a FIN passed on (sockets closed on the way out are not closed twice).
            CloseConnection(upstream, CloseReason.PeerClosed);
            CloseConnection(downstream, CloseReason.PeerClosed);
        }
    }

    /// <summary>A failed call in a word or two: the socket error's name, or the exception's type.</summary>
    internal static string Reason(Exception e) => e is SocketException s ? s.SocketErrorCode.ToString() : e.GetType().Name;
}
