using System.Net.Sockets;
using SocketsNotebooks.Selectors;
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
            // the broker closes. No new deliveries are queued for it meanwhile.
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
        // Many messages per connection: handle every one this recv() completed, in order.
        while (!connection.IsClosed && connection.Decoder.TryReadMessage(out var message))
        {
            Handle(connection, message);
        }
        _interestChanged.Add(connection);
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
        connection.Sent(sent);
        if (connection.Queue.Count == 0 && connection.PeerFinished)
        {
            Close(connection, CloseReason.PeerClosed, "");
            return;
        }
        _interestChanged.Add(connection);
    }

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
            // Stop reading from a peer that has finished, or that asks faster than it reads its replies
            // (their bytes are not held to the delivery limits, so this is what bounds them).
            bool read = !connection.PeerFinished && connection.Queue.Bytes - connection.Queue.DeliveryBytes < Options.MaxQueuedBytes;
            var wanted = (read ? SelectorEvents.Read : SelectorEvents.None) | (connection.Queue.Count > 0 ? SelectorEvents.Write : SelectorEvents.None);
            if (wanted == SelectorEvents.None)
            {
                continue;
            }
            if (wanted != connection.Interest)
            {
                Selector.Modify(connection.Socket, wanted, connection);
                connection.Interest = wanted;
            }
        }
        _interestChanged.Clear();
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
