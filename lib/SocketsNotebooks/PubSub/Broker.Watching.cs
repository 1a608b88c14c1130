using System.Net.Sockets;
using SocketsNotebooks.Selectors;
using SocketsNotebooks.Tracing;

namespace SocketsNotebooks.PubSub;

// What the selector watches each connection for, as notebook 03's loop switches its mask: Read unless the
// broker holds off reading it, Write while bytes are queued, and nothing at all (unregistered) for a paused
// publisher with nothing to send.
public sealed partial class Broker
{
    // Connections the broker watches for nothing (paused publishers with nothing to send): unregistered,
    // as Python's selectors require, and registered again when there is something to watch for.
    private readonly HashSet<BrokerConnection> _unwatched = [];

    // Write interest only while bytes are queued: a connected socket is nearly always writable, so
    // watching it for Write with nothing to send would make Select return at once, over and over.
    private void UpdateInterest()
    {
        foreach (var connection in _interestChanged)
        {
            if (connection.IsClosed)
            {
                continue;
            }
            // Not read: a peer that has finished; one with commands still waiting to be handled; one the
            // full broker does not hear (MayHandle); one that asks faster than it reads its replies (their bytes
            // are not held to the delivery limits, so this is what bounds them). Its kernel buffers fill, and
            // TCP makes its send() wait: the push back of notebook 04.
            bool read = !connection.PeerFinished && !_held.Contains(connection) && MayHandle(connection)
                && connection.Queue.ReplyBytes < Options.MaxQueuedBytes;
            var wanted = (read ? SelectorEvents.Read : SelectorEvents.None) | (connection.Queue.Count > 0 ? SelectorEvents.Write : SelectorEvents.None);
            SetInterest(connection, wanted);
        }
        _interestChanged.Clear();
    }

    // Every close the broker makes goes through here: a connection it stopped watching is registered again
    // first, because the loop's Close unregisters it.
    private void Close(BrokerConnection connection, CloseReason reason, string detail, bool reset = false)
    {
        Watch(connection);
        base.Close(connection, reason, detail, reset);
    }

    // Python's selectors cannot watch a socket for nothing: a connection that wants neither Read nor Write
    // is unregistered, and registered again as soon as it wants one.
    private void SetInterest(BrokerConnection connection, SelectorEvents wanted)
    {
        if (wanted == connection.Interest)
        {
            return;
        }
        if (wanted == SelectorEvents.None)
        {
            Selector.Unregister(connection.Socket);
            _unwatched.Add(connection);
        }
        else if (connection.Interest == SelectorEvents.None)
        {
            Selector.Register(connection.Socket, wanted, connection);
            _unwatched.Remove(connection);
        }
        else
        {
            Selector.Modify(connection.Socket, wanted, connection);
        }
        connection.Interest = wanted;
    }

    private void Watch(BrokerConnection connection)
    {
        if (connection.Interest == SelectorEvents.None && !connection.IsClosed)
        {
            SetInterest(connection, SelectorEvents.Read);
        }
    }

    // A stopping loop records every connection it still watches as stopped: watch the paused ones again.
    private void WatchAllBeforeStop()
    {
        if (_unwatched.Count == 0 || !Stopping.IsCancellationRequested)
        {
            return;
        }
        foreach (var connection in _unwatched.ToArray())
        {
            try
            {
                Watch(connection);
            }
            catch (Exception e) when (e is ObjectDisposedException or SocketException)
            {
                // Stop() closed it first: its socket is gone anyway, only the record of its stop is missed.
            }
        }
    }
}
