using System.Net.Sockets;
using SocketsNotebooks.Tracing;

namespace SocketsNotebooks.PubSub;

// The loop's I/O: read commands, write queues, and tell the selector what to watch next.
public sealed partial class Broker
{
    private void Read(BrokerConnection connection)
    {
        int received = connection.Socket.Receive(_receiveBuffer);
        if (received == 0)
        {
            // FIN. Mid-message this is a truncated message (Complete throws); between messages a goodbye,
            // but a half-close only says "I will send no more": replies already due still go out, then
            // the broker closes. No new deliveries are queued for it meanwhile. (A connection is read only
            // once every command it sent before has been handled, so none is left behind here.)
            connection.Decoder.Complete();
            connection.PeerFinished = true;
            if (connection.IsSubscriber)
            {
                _subscribers.Remove(connection);
                _fanOut = [.. _subscribers];
            }
            if (connection.Queue.Count == 0)
            {
                Close(connection, CloseReason.PeerClosed, "");
            }
            else
            {
                _interestChanged.Add(connection);
            }
            return;
        }
        connection.Decoder.Feed(_receiveBuffer.AsSpan(0, received));
        HandleReceived(connection);
    }

    // Many messages per connection: handle every one this recv() completed, in order. While the broker is
    // full, a connection that adds to the queues stops after the command that did; the rest wait, decoded,
    // for HandleHeld. So the cap is passed by at most one command's worth per connection, not by a whole
    // recv() of publishes, each copied to every subscriber.
    private void HandleReceived(BrokerConnection connection)
    {
        while (!connection.IsClosed)
        {
            if (!MayHandle(connection))
            {
                _held.Add(connection);
                break;
            }
            if (!connection.Decoder.TryReadMessage(out var message))
            {
                _held.Remove(connection);
                break;
            }
            Handle(connection, message);
        }
        _interestChanged.Add(connection);
    }

    // While full, the broker takes no command from a publisher, nor from a connection whose replies are still
    // waiting: either would add to the queues. Everyone else (a subscriber saying subscribe or ping) is heard,
    // one command at a time, and its replies go out.
    private bool MayHandle(BrokerConnection connection) =>
        !_pressure.Full || !(connection.IsPublisher || connection.Queue.ReplyBytes > 0);

    // Commands that waited while the broker was full, handled as soon as their connection may go on.
    private void HandleHeld()
    {
        if (_held.Count == 0)
        {
            return;
        }
        foreach (var connection in _held.ToArray())
        {
            if (!connection.IsClosed && MayHandle(connection))
            {
                HandleReceived(connection);
            }
        }
    }

    // The kernel takes what fits in its send buffer; the rest stays queued for the next writable wake-up.
    private void Write(BrokerConnection connection)
    {
        int gathered = connection.Queue.Gather(_scratch);
        if (gathered == 0)
        {
            return;
        }
        int sent;
        try
        {
            sent = connection.Socket.Send(_scratch.AsSpan(0, gathered));
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.WouldBlock)
        {
            return;
        }
        Sent(connection, sent);
        if (connection.Queue.Count == 0 && connection.PeerFinished)
        {
            Close(connection, CloseReason.PeerClosed, "");
            return;
        }
        _interestChanged.Add(connection);
    }

    private void Sample()
    {
        if (Options.SampleInterval is not { } interval)
        {
            return;
        }
        double now = NowMs;
        bool due = now - _lastSampleMs >= interval.TotalMilliseconds;
        if (due)
        {
            _lastSampleMs = now;
        }
        foreach (var subscriber in _fanOut)
        {
            subscriber.Sample(now, due, Options.MaxSamplesPerSubscriber);
        }
    }
}
