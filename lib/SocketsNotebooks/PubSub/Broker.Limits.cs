using System.Globalization;
using SocketsNotebooks.Tracing;

namespace SocketsNotebooks.PubSub;

// How much the broker holds for each subscriber, and what it does with one that falls behind.
public sealed partial class Broker
{
    // Returns false if the subscriber was too far behind and was cut off instead. Replies to the
    // connection's own commands are not held to the limits: the connection asked for them, and
    // UpdateInterest stops reading from it while too many wait.
    private bool Enqueue(BrokerConnection connection, byte[] bytes, bool isDelivery)
    {
        var queue = connection.Queue;
        if (isDelivery && queue.Deliveries + 1 > Options.MaxQueuedMessages)
        {
            CutOff(connection, string.Create(CultureInfo.InvariantCulture,
                $"{queue.Deliveries:N0} messages ({queue.DeliveryBytes:N0} bytes) waiting: MaxQueuedMessages = {Options.MaxQueuedMessages:N0} reached, {connection.Delivered:N0} delivered before"));
            return false;
        }
        if (isDelivery && queue.DeliveryBytes + bytes.Length > Options.MaxQueuedBytes)
        {
            CutOff(connection, string.Create(CultureInfo.InvariantCulture,
                $"{queue.DeliveryBytes:N0} bytes ({queue.Deliveries:N0} messages) waiting: MaxQueuedBytes = {Options.MaxQueuedBytes:N0} reached, {connection.Delivered:N0} delivered before"));
            return false;
        }
        if (queue.Count == 0)
        {
            _interestChanged.Add(connection);
        }
        connection.Enqueue(bytes, isDelivery, Time.GetTimestamp());
        return true;
    }

    // A subscriber cut off as slow is told at once: a reset (linger 0) instead of a FIN that would wait
    // behind the bytes it is not reading, leaving the broker's socket in FIN-WAIT-1 meanwhile.
    private void CutOff(BrokerConnection connection, string detail) =>
        Close(connection, CloseReason.SlowSubscriber, detail, reset: true);

    // Checked on every wake-up: a subscriber whose oldest waiting message is older than MaxLag is behind in time.
    private void CutOffLagging()
    {
        foreach (var subscriber in _fanOut)
        {
            if (!subscriber.IsClosed && subscriber.Queue.Deliveries > 0 && subscriber.Queue.OldestQueued is { } oldest
                && Time.GetElapsedTime(oldest) > Options.MaxLag)
            {
                CutOff(subscriber, string.Create(CultureInfo.InvariantCulture,
                    $"the oldest of {subscriber.Queue.Deliveries:N0} waiting messages has waited {Time.GetElapsedTime(oldest).TotalSeconds:0.#} s: MaxLag = {Options.MaxLag.TotalSeconds:0.#} s passed, {subscriber.Delivered:N0} delivered before"));
            }
        }
    }
}
