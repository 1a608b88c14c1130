using System.Globalization;
using SocketsNotebooks.Tracing;

namespace SocketsNotebooks.PubSub;

// How much the broker holds: each subscriber's limits (Redis's client-output-buffer-limit: hard, and soft for a
// time) and the cap on all queues together, which pauses the publishers instead of cutting anyone off.
public sealed partial class Broker
{
    private readonly List<(BrokerConnection Connection, string Detail)> _slow = [];
    private long _fullSince;

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
        long now = Time.GetTimestamp();
        connection.Enqueue(bytes, isDelivery, now);
        if (isDelivery)
        {
            _backlogged.Add(connection);
            if (!_pressure.Full && connection.OverSoftSince is null && queue.DeliveryBytes > Options.SoftQueuedBytes)
            {
                connection.OverSoftSince = now;
            }
        }
        if (_pressure.Add(bytes.Length))
        {
            Filled(now);
        }
        return true;
    }

    // The kernel took `sent` bytes of what was queued for this connection.
    private void Sent(BrokerConnection connection, int sent)
    {
        connection.Sent(sent, Time.GetTimestamp());
        if (connection.Queue.DeliveryBytes <= Options.SoftQueuedBytes)
        {
            connection.OverSoftSince = null;
        }
        if (connection.Queue.Deliveries == 0)
        {
            _backlogged.Remove(connection);
        }
        Dequeued(sent);
    }

    // Bytes left the queues: sent, or dropped with a closed connection.
    private void Dequeued(long bytes)
    {
        if (!_pressure.Remove(bytes))
        {
            return;
        }
        long now = Time.GetTimestamp();
        // Publishing resumes; whoever is still over the soft limit starts a fresh soft clock now.
        foreach (var connection in _backlogged)
        {
            if (connection.Queue.DeliveryBytes > Options.SoftQueuedBytes)
            {
                connection.OverSoftSince = now;
            }
        }
        _interestChanged.UnionWith(_publishers);
        LogLimits(string.Create(CultureInfo.InvariantCulture,
            $"Queues down to {_pressure.Queued:N0} bytes (half of MaxTotalQueuedBytes) after {Time.GetElapsedTime(_fullSince, now).TotalMilliseconds:N0} ms: reading {_publishers.Count} publisher(s) again"));
    }

    // The queues together just passed MaxTotalQueuedBytes: stop reading the publishers (UpdateInterest takes
    // Read out of their masks), so TCP pushes back on them: their send() waits until the broker reads again.
    private void Filled(long now)
    {
        _fullSince = now;
        // While the broker waits for all its subscribers, nobody is blamed for being over the soft limit.
        foreach (var connection in _backlogged)
        {
            connection.OverSoftSince = null;
        }
        _interestChanged.UnionWith(_publishers);
        LogLimits(string.Create(CultureInfo.InvariantCulture,
            $"Queues full: {_pressure.Queued:N0} bytes waiting, over MaxTotalQueuedBytes = {_pressure.Max:N0}: not reading {_publishers.Count} publisher(s) until half of it has gone out"));
    }

    // Checked on every wake-up. Over the soft limit for SoftQueuedTime without a break (while the broker
    // reads its publishers): cut off. While the broker is full, taking nothing at all for SoftQueuedTime with
    // messages waiting: cut off too, since that subscriber holds every publisher up and will not let go.
    private void CutOffSlowSubscribers()
    {
        if (_backlogged.Count == 0)
        {
            return;
        }
        long now = Time.GetTimestamp();
        var limit = Options.SoftQueuedTime;
        foreach (var subscriber in _backlogged)
        {
            var queue = subscriber.Queue;
            if (subscriber.OverSoftSince is { } since && Time.GetElapsedTime(since, now) >= limit)
            {
                _slow.Add((subscriber, string.Create(CultureInfo.InvariantCulture,
                    $"{queue.DeliveryBytes:N0} bytes ({queue.Deliveries:N0} messages) waiting, over SoftQueuedBytes = {Options.SoftQueuedBytes:N0} for {Time.GetElapsedTime(since, now).TotalSeconds:0.#} s: SoftQueuedTime = {limit.TotalSeconds:0.#} s passed, {subscriber.Delivered:N0} delivered before")));
            }
            else if (_pressure.Full && Time.GetElapsedTime(subscriber.LastTaken, now) >= limit)
            {
                _slow.Add((subscriber, string.Create(CultureInfo.InvariantCulture,
                    $"took nothing for {Time.GetElapsedTime(subscriber.LastTaken, now).TotalSeconds:0.#} s with {queue.DeliveryBytes:N0} bytes ({queue.Deliveries:N0} messages) waiting while the broker was full (MaxTotalQueuedBytes = {_pressure.Max:N0}): SoftQueuedTime = {limit.TotalSeconds:0.#} s passed, {subscriber.Delivered:N0} delivered before")));
            }
        }
        // Cut after the walk: closing takes the connection out of the set being walked.
        foreach (var (subscriber, detail) in _slow)
        {
            CutOff(subscriber, detail);
        }
        _slow.Clear();
    }

    // A subscriber cut off as slow is told at once: a reset (linger 0) instead of a FIN that would wait
    // behind the bytes it is not reading, leaving the broker's socket in FIN-WAIT-1 meanwhile.
    private void CutOff(BrokerConnection connection, string detail) =>
        Close(connection, CloseReason.SlowSubscriber, detail, reset: true);

    // The limits' lines go to the log, but a log callback that throws must not close the connection whose
    // bytes happened to cross the mark: these lines are the broker's, not that connection's.
    private void LogLimits(string line)
    {
        try
        {
            Log(line);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            Listener.RecordError($"log callback failed: {e.GetType().Name}: {e.Message}");
        }
    }
}
