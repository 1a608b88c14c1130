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
                    RememberSubscriber(connection);
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
                if (!connection.IsPublisher)
                {
                    connection.IsPublisher = true;
                    _publishers.Add(connection);
                }
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
}
