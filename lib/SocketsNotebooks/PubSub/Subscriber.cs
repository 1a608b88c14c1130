using System.Net;
using SocketsNotebooks.Tracing;

namespace SocketsNotebooks.PubSub;

/// <summary>
/// A subscriber: one connection to a <see cref="Broker"/>, a reading task that decodes every
/// message as it arrives, and ways to wait for them (<see cref="ReceiveAsync"/>,
/// <see cref="WaitForCountAsync"/>). Unlike the request/response client of notebook 03 it never asks
/// for a message: it says once what it wants, then the broker pushes.
/// </summary>
/// <remarks>
/// Three jobs, one type each: <see cref="SubscriberReader"/> reads and dispatches, <see cref="ReplyMatcher"/>
/// pairs requests with the broker's replies, <see cref="MessageInbox"/> counts the messages and wakes
/// whoever waits for them. This class connects and puts them together.
/// </remarks>
public sealed class Subscriber : IDisposable, IAsyncDisposable
{
    private readonly TracedSocket _socket;
    private readonly MessageInbox _inbox;
    private readonly ReplyMatcher _replies;
    private readonly SubscriberReader _reader;

    private Subscriber(TracedSocket socket, SubscriberOptions options)
    {
        _socket = socket;
        Options = options;
        _inbox = new MessageInbox(options.KeepMessages);
        _replies = new ReplyMatcher(socket, options.Timeout, options.TimeProvider ?? TimeProvider.System);
        _reader = new SubscriberReader(socket, options, _inbox, _replies);
    }

    /// <summary>The settings it runs with.</summary>
    public SubscriberOptions Options { get; }

    /// <summary>The trace's connection id of this subscriber's socket (the broker's end has the same one when they share a trace).</summary>
    public int Conn => _socket.Conn;

    /// <summary>How many published messages arrived so far (each counts once <see cref="SubscriberOptions.OnMessage"/> has had it).</summary>
    public long Count => _inbox.Count;

    /// <summary>Every message received so far, oldest first (a snapshot; empty when <see cref="SubscriberOptions.KeepMessages"/> is off).</summary>
    public IReadOnlyList<PubSubMessage> Messages => _inbox.Messages;

    /// <summary>Whether the reading task is reading (false once <see cref="StopReading"/> was called or the slow subscriber paused).</summary>
    public bool IsReading => _reader.Gate.IsOpen && !_reader.Closed.IsCompleted;

    /// <summary>
    /// Completes when the connection ends, with why (e.g. <c>broker closed the connection (FIN)</c>).
    /// A subscriber that is not reading notices only when it reads again: a FIN waits behind the unread
    /// bytes, and even a reset (how the broker cuts off a slow subscriber) reaches only its kernel until
    /// the next <c>recv()</c>, which returns what the kernel already had and then fails.
    /// </summary>
    public Task<string> Closed => _reader.Closed;

    /// <summary>Connects to a broker and starts reading.</summary>
    public static async Task<Subscriber> ConnectAsync(EndPoint broker, Trace trace, SubscriberOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(broker);
        options ??= new SubscriberOptions();
        var socket = TracedSocket.Tcp(trace, Side.Client, broker.AddressFamily);
        try
        {
            if (options.ReceiveBufferSize is { } size)
            {
                // Before connect, so the window the subscriber advertises is small from the first segment.
                socket.Socket.ReceiveBufferSize = size;
            }
            if (options.SendBufferSize is { } sendSize)
            {
                socket.Socket.SendBufferSize = sendSize;
            }
            using var limit = new CancellationTokenSource(options.Timeout, options.TimeProvider ?? TimeProvider.System);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, limit.Token);
            await socket.ConnectAsync(broker, timeout.Token).ConfigureAwait(false);
        }
        catch
        {
            socket.Close(CloseReason.ConnectFailed);
            throw;
        }
        var subscriber = new Subscriber(socket, options);
        subscriber._reader.Start();
        return subscriber;
    }

    /// <summary>
    /// Subscribes to every topic starting with <paramref name="prefix"/> and waits for the broker's acknowledgement;
    /// returns the subscription count. Throws <see cref="BrokerRefusedException"/> if the broker refused it
    /// (past <see cref="BrokerOptions.MaxSubscriptions"/>); the connection and its earlier subscriptions stay.
    /// </summary>
    public async Task<int> SubscribeAsync(string prefix)
    {
        var ack = await _replies.RequestAsync(PubSubCommand.Subscribe(prefix), PubSubVerb.Subscribed, () => IsReading).ConfigureAwait(false);
        return int.Parse(ack.Payload, System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Ends a subscription and waits for the acknowledgement; returns the subscriptions left.</summary>
    public async Task<int> UnsubscribeAsync(string prefix)
    {
        var ack = await _replies.RequestAsync(PubSubCommand.Unsubscribe(prefix), PubSubVerb.Unsubscribed, () => IsReading).ConfigureAwait(false);
        return int.Parse(ack.Payload, System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// The next <paramref name="count"/> messages not yet returned by an earlier call, waiting at most
    /// <paramref name="timeout"/> for them; throws <see cref="TimeoutException"/> saying how many came.
    /// </summary>
    public Task<IReadOnlyList<PubSubMessage>> ReceiveAsync(int count, TimeSpan timeout) => _inbox.ReceiveAsync(count, timeout);

    /// <summary>
    /// Waits until <paramref name="total"/> messages have arrived in all. Throws <see cref="TimeoutException"/>
    /// after <paramref name="timeout"/>, or <see cref="IOException"/> at once if the connection ended first.
    /// </summary>
    public Task WaitForCountAsync(long total, TimeSpan timeout) => _inbox.WaitForCountAsync(total, timeout);

    /// <summary>Sends <c>ping</c> and waits for <c>pong</c>: the broker has handled everything this subscriber sent before.</summary>
    public Task PingAsync() => _replies.RequestAsync(new PubSubCommand(PubSubVerb.Ping), PubSubVerb.Pong, () => IsReading);

    /// <summary>Stops calling <c>recv()</c>: what the broker sends piles up in the kernel's buffers, then in the broker's queue.</summary>
    public void StopReading() => _reader.Gate.Shut();

    /// <summary>Starts reading again after <see cref="StopReading"/>.</summary>
    public void ResumeReading() => _reader.Gate.Open();

    /// <summary>Closes the connection (a FIN to the broker) and waits, bounded, for the reading task to end. Never throws for how the reading ended: <see cref="Closed"/> says that.</summary>
    public void Close() => _reader.Close();

    /// <inheritdoc/>
    public void Dispose() => _reader.Dispose();

    /// <inheritdoc/>
    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public override string ToString() => $"subscriber conn {Conn}: {Count:N0} messages{(Closed.IsCompleted ? $", closed ({Closed.Result})" : IsReading ? "" : ", not reading")}";
}
