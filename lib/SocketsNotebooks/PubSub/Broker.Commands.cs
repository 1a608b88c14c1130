using System.Globalization;
using SocketsNotebooks.AppProtocol;
using SocketsNotebooks.Tracing;

namespace SocketsNotebooks.PubSub;

// What the broker does with each command: the application on top of the framing.
public sealed partial class Broker
{
    private void Handle(BrokerConnection connection, AppProtocol.Message message)
    {
        if (!PubSubCommand.TryParse(message, out var command, out string error))
        {
            Close(connection, CloseReason.BadCommand, error);
            return;
        }
        switch (command.Verb)
        {
            case PubSubVerb.Subscribe:
            {
                if (connection.SubscriptionCount >= Options.MaxSubscriptions && !connection.IsSubscribedTo(command.Topic))
                {
                    // Refuse this one request and keep the connection: a reset here would throw away the
                    // acknowledgements of every subscribe before it that are still waiting to go out.
                    string reason = string.Create(CultureInfo.InvariantCulture,
                        $"MaxSubscriptions = {Options.MaxSubscriptions:N0} reached for this connection; its {connection.SubscriptionCount:N0} subscriptions stay");
                    Options.Log?.Invoke($"{connection.Peer} refused: subscribe '{command.Topic}': {reason}");
                    Enqueue(connection, PubSubCommand.Refusal(command.Verb, reason).ToBytes(), isDelivery: false);
                    break;
                }
                if (!connection.IsSubscriber)
                {
                    _subscribers.Add(connection);
                    _fanOut = [.. _subscribers];
                    lock (_gate)
                    {
                        if (_subscriberHistory.Count < MaxRememberedSubscribers)
                        {
                            _subscriberHistory.Add(connection);
                        }
                    }
                }
                int count = connection.Subscribe(command.Topic);
                connection.Sample(NowMs, due: true, Options.MaxSamplesPerSubscriber, force: true);
                Options.Log?.Invoke($"{connection.Peer} subscribed to '{command.Topic}' ({count} subscription(s))");
                Enqueue(connection, PubSubCommand.Acknowledge(command.Verb, command.Topic, count).ToBytes(), isDelivery: false);
                break;
            }
            case PubSubVerb.Unsubscribe:
            {
                int count = connection.Unsubscribe(command.Topic);
                Enqueue(connection, PubSubCommand.Acknowledge(command.Verb, command.Topic, count).ToBytes(), isDelivery: false);
                break;
            }
            case PubSubVerb.Publish:
            {
                int matched = FanOut(command.Topic, command.Payload);
                Options.Log?.Invoke($"{connection.Peer} published on '{command.Topic}': queued for {matched} subscriber(s)");
                break;
            }
            case PubSubVerb.Ping:
                // Sent after everything this connection asked before it was handled: a publisher's flush.
                Enqueue(connection, new PubSubCommand(PubSubVerb.Pong).ToBytes(), isDelivery: false);
                break;
            default:
                Close(connection, CloseReason.BadCommand, $"'{command.Verb.ToString().ToLowerInvariant()}' is what the broker sends, not what it accepts");
                break;
        }
    }

    // Returns how many subscribers the message was queued for.
    private int FanOut(string topic, string payload)
    {
        int queued = 0;
        Interlocked.Increment(ref _published);
        byte[]? encoded = null;
        // _fanOut is a snapshot: cutting a subscriber off inside the loop does not disturb it.
        foreach (var subscriber in _fanOut)
        {
            if (subscriber.IsClosed || !subscriber.Matches(topic))
            {
                continue;
            }
            // Encoded once, on the first match; every queue shares the same bytes.
            encoded ??= PubSubCommand.Delivery(topic, payload).ToBytes();
            if (Enqueue(subscriber, encoded, isDelivery: true))
            {
                Interlocked.Increment(ref _fannedOut);
                queued++;
            }
        }
        return queued;
    }

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
