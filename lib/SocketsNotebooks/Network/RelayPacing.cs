using System.Collections.Concurrent;
using System.Globalization;
using SocketsNotebooks.Tracing;

namespace SocketsNotebooks.Network;

/// <summary>
/// The relay's eyes on the trace it shares with the client and the server: follows every call they
/// record, so each relayed connection and direction can wait until its receiver has read the last
/// piece (<see cref="ReceiverProgress"/>) before the next one is sent. See the remarks on <see cref="Relay"/>.
/// </summary>
internal sealed class RelayPacing : IDisposable
{
    /// <summary>How the note a learner finds in the trace (the relay's side, kind error) when pieces may have been glued starts.</summary>
    public const string NotePrefix = "relay pacing";

    private readonly Trace _trace;
    private readonly ConcurrentDictionary<(int Conn, Side Side), ReceiverProgress> _receivers = new();

    /// <summary>Starts following <paramref name="trace"/>; dispose to stop.</summary>
    public RelayPacing(Trace trace)
    {
        _trace = trace;
        _trace.Recorded += OnRecorded;
    }

    /// <summary>Starts watching the receiver on <paramref name="side"/> of connection <paramref name="conn"/>.</summary>
    public ReceiverProgress Watch(int conn, Side side) => _receivers[(conn, side)] = new ReceiverProgress(side);

    /// <summary>Stops watching both receivers of connection <paramref name="conn"/>.</summary>
    public void Forget(int conn)
    {
        _receivers.TryRemove((conn, Side.Server), out _);
        _receivers.TryRemove((conn, Side.Client), out _);
    }

    /// <summary>The note recorded when a wait did not end with the piece read.</summary>
    public static string Note(Pace paced, Side receiver, TimeSpan timeout)
    {
        string who = receiver.ToString().ToLowerInvariant();
        string seconds = timeout.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture);
        return paced == Pace.GaveUp
            ? $"{NotePrefix}: no call of the {who}'s on this connection in the trace after {seconds} s, so the relay "
                + $"sends on without waiting for its recv(); pieces may arrive glued together until the {who} shows up"
            : $"{NotePrefix}: the {who} had not read the last piece after {seconds} s (a busy machine?); the relay "
                + "sent the next one anyway, so two pieces may arrive in one recv()";
    }

    /// <inheritdoc/>
    public void Dispose() => _trace.Recorded -= OnRecorded;

    // Called on whichever thread recorded the event; only counts bytes, so it is quick.
    private void OnRecorded(TraceEvent recorded)
    {
        if (recorded.Side.IsRelay() || !_receivers.TryGetValue((recorded.Conn, recorded.Side), out var receiver))
        {
            return;
        }
        switch (recorded.Kind)
        {
            case TraceKind.Recv:
                receiver.Read(recorded.Moved);
                break;
            case TraceKind.Close:
                receiver.Closed();
                break;
            default:
                receiver.Read(0);
                break;
        }
    }
}
