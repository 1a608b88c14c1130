using System.Net;
using System.Net.Sockets;
using SocketsNotebooks.AppProtocol;
using SocketsNotebooks.Tracing;
using Stopwatch = System.Diagnostics.Stopwatch;

namespace SocketsNotebooks.PubSub;

/// <summary>
/// A subscriber: one connection to a <see cref="Broker"/>, a reading task that decodes every
/// message as it arrives, and ways to wait for them (<see cref="ReceiveAsync"/>,
/// <see cref="WaitForCountAsync"/>). Unlike the request/response client of section 3 it never asks
/// for a message: it says once what it wants, then the broker pushes.
/// </summary>
public sealed class Subscriber : IDisposable, IAsyncDisposable
{
    private readonly TracedSocket _socket;
    private readonly MessageDecoder _decoder = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly object _gate = new();
    private readonly List<PubSubMessage> _messages = [];
    private readonly Queue<(PubSubVerb Verb, TaskCompletionSource<PubSubCommand> Done)> _pending = new();
    private readonly List<(long Count, TaskCompletionSource Done)> _countWaiters = [];
    private readonly TaskCompletionSource<string> _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _stop = new();
    private TaskCompletionSource _resume = NewGate(open: true);
    private Task _reader = Task.CompletedTask;
    private long _count;
    private int _taken;
    private bool _slowPending;

    private Subscriber(TracedSocket socket, SubscriberOptions options)
    {
        _socket = socket;
        Options = options;
        _slowPending = options.Slow;
    }

    /// <summary>The settings it runs with.</summary>
    public SubscriberOptions Options { get; }

    /// <summary>The trace's connection id of this subscriber's socket (the broker's end has the same one when they share a trace).</summary>
    public int Conn => _socket.Conn;

    /// <summary>How many published messages arrived so far.</summary>
    public long Count => Interlocked.Read(ref _count);

    /// <summary>Every message received so far, oldest first (a snapshot; empty when <see cref="SubscriberOptions.KeepMessages"/> is off).</summary>
    public IReadOnlyList<PubSubMessage> Messages
    {
        get
        {
            lock (_gate)
            {
                return _messages.ToArray();
            }
        }
    }

    /// <summary>Whether the reading task is reading (false once <see cref="StopReading"/> was called or the slow subscriber paused).</summary>
    public bool IsReading => _resume.Task.IsCompleted && !_closed.Task.IsCompleted;

    /// <summary>
    /// Completes when the connection ends, with why (e.g. <c>broker closed the connection (FIN)</c>).
    /// A subscriber that is not reading cannot notice: the broker's FIN waits behind the unread bytes.
    /// </summary>
    public Task<string> Closed => _closed.Task;

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
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(options.Timeout);
            await socket.ConnectAsync(broker, timeout.Token).ConfigureAwait(false);
        }
        catch
        {
            socket.Close("connect failed");
            throw;
        }
        var subscriber = new Subscriber(socket, options);
        subscriber._reader = Task.Run(subscriber.ReadLoopAsync);
        return subscriber;
    }

    /// <summary>Subscribes to every topic starting with <paramref name="prefix"/> and waits for the broker's acknowledgement; returns the subscription count.</summary>
    public async Task<int> SubscribeAsync(string prefix)
    {
        var ack = await RequestAsync(PubSubCommand.Subscribe(prefix), PubSubVerb.Subscribed).ConfigureAwait(false);
        return int.Parse(ack.Payload, System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Ends a subscription and waits for the acknowledgement; returns the subscriptions left.</summary>
    public async Task<int> UnsubscribeAsync(string prefix)
    {
        var ack = await RequestAsync(PubSubCommand.Unsubscribe(prefix), PubSubVerb.Unsubscribed).ConfigureAwait(false);
        return int.Parse(ack.Payload, System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// The next <paramref name="count"/> messages not yet returned by an earlier call, waiting at most
    /// <paramref name="timeout"/> for them; throws <see cref="TimeoutException"/> saying how many came.
    /// </summary>
    public async Task<IReadOnlyList<PubSubMessage>> ReceiveAsync(int count, TimeSpan timeout)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (!Options.KeepMessages)
        {
            throw new InvalidOperationException("This subscriber only counts messages (KeepMessages = false).");
        }
        int from;
        lock (_gate)
        {
            from = _taken;
        }
        await WaitForCountAsync(from + count, timeout).ConfigureAwait(false);
        lock (_gate)
        {
            var taken = _messages.GetRange(from, count);
            _taken = Math.Max(_taken, from + count);
            return taken;
        }
    }

    /// <summary>
    /// Waits until <paramref name="total"/> messages have arrived in all. Throws <see cref="TimeoutException"/>
    /// after <paramref name="timeout"/>, or <see cref="IOException"/> at once if the connection ended first.
    /// </summary>
    public async Task WaitForCountAsync(long total, TimeSpan timeout)
    {
        TaskCompletionSource done;
        lock (_gate)
        {
            if (_count >= total)
            {
                return;
            }
            if (_closed.Task.IsCompleted)
            {
                throw new IOException($"Only {_count} of {total} messages arrived: {_closed.Task.Result}.");
            }
            done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _countWaiters.Add((total, done));
        }
        try
        {
            await done.Task.WaitAsync(timeout).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            lock (_gate)
            {
                _countWaiters.RemoveAll(w => w.Done == done);
            }
            throw new TimeoutException($"Only {Count} of {total} messages arrived within {timeout.TotalMilliseconds:0} ms.");
        }
    }

    /// <summary>Sends <c>ping</c> and waits for <c>pong</c>: the broker has handled everything this subscriber sent before.</summary>
    public Task PingAsync() => RequestAsync(new PubSubCommand(PubSubVerb.Ping), PubSubVerb.Pong);

    /// <summary>Stops calling <c>recv()</c>: what the broker sends piles up in the kernel's buffers, then in the broker's queue.</summary>
    public void StopReading()
    {
        lock (_gate)
        {
            if (_resume.Task.IsCompleted)
            {
                _resume = NewGate(open: false);
            }
        }
    }

    /// <summary>Starts reading again after <see cref="StopReading"/>.</summary>
    public void ResumeReading()
    {
        lock (_gate)
        {
            _resume.TrySetResult();
        }
    }

    /// <summary>Closes the connection (a FIN to the broker) and waits, bounded, for the reading task to end.</summary>
    public void Close()
    {
        if (!_stop.IsCancellationRequested)
        {
            _stop.Cancel();
        }
        if (!_socket.IsClosed)
        {
            // A FIN first: closing a socket that the reader thread is blocked in recv() on makes
            // .NET abort it, and the broker would see a reset instead of a polite goodbye.
            try
            {
                _socket.Shutdown(SocketShutdown.Both);
            }
            catch (SocketException)
            {
                // The connection is already gone (the broker cut us off); Close below records the end.
            }
        }
        _socket.Close("subscriber closed");
        _reader.Wait(Options.Timeout);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        Close();
        _stop.Dispose();
    }

    /// <inheritdoc/>
    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public override string ToString() => $"subscriber conn {Conn}: {Count:N0} messages{(Closed.IsCompleted ? $", closed ({Closed.Result})" : IsReading ? "" : ", not reading")}";

    private static TaskCompletionSource NewGate(bool open)
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (open)
        {
            gate.SetResult();
        }
        return gate;
    }

    private async Task<PubSubCommand> RequestAsync(PubSubCommand request, PubSubVerb answer)
    {
        var done = new TaskCompletionSource<PubSubCommand>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            if (_closed.Task.IsCompleted)
            {
                throw new IOException($"The connection has ended: {_closed.Task.Result}.");
            }
            // The broker answers in order, so the answers match the requests first in, first out.
            _pending.Enqueue((answer, done));
        }
        using var timeout = new CancellationTokenSource(Options.Timeout);
        await _socket.SendAllAsync(request.ToBytes(), timeout.Token).ConfigureAwait(false);
        try
        {
            return await done.Task.WaitAsync(Options.Timeout).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"No '{answer.ToString().ToLowerInvariant()}' from the broker within {Options.Timeout.TotalMilliseconds:0} ms{(IsReading ? "" : " (this subscriber is not reading)")}.");
        }
    }

    private async Task ReadLoopAsync()
    {
        var buffer = new byte[Options.ReceiveSize];
        string why;
        try
        {
            while (true)
            {
                Task gate;
                lock (_gate)
                {
                    gate = _resume.Task;
                }
                await gate.WaitAsync(_stop.Token).ConfigureAwait(false);
                int received = await _socket.ReceiveAsync(buffer, _stop.Token).ConfigureAwait(false);
                if (received == 0)
                {
                    // FIN: the broker closed; its reason is in the trace (and in Broker.Closed).
                    _decoder.Complete();
                    why = "broker closed the connection (FIN)";
                    break;
                }
                _decoder.Feed(buffer.AsSpan(0, received));
                while (_decoder.TryReadMessage(out var message))
                {
                    Dispatch(message);
                }
            }
        }
        catch (Exception) when (_stop.IsCancellationRequested)
        {
            why = "closed by the subscriber";
        }
        catch (SocketException e)
        {
            why = $"{e.SocketErrorCode}";
        }
        catch (ProtocolException e)
        {
            why = $"the broker broke the protocol: {e.Reason}";
        }
        catch (ObjectDisposedException)
        {
            why = "closed by the subscriber";
        }
        Finish(why);
    }

    private void Dispatch(AppProtocol.Message message)
    {
        if (!PubSubCommand.TryParse(message, out var command, out string error))
        {
            throw new ProtocolException(ProtocolError.InvalidContent, error);
        }
        if (command.Verb == PubSubVerb.Message)
        {
            var received = new PubSubMessage(command.Topic, command.Payload, Math.Round(_clock.Elapsed.TotalMilliseconds, 3));
            List<TaskCompletionSource>? woken = null;
            lock (_gate)
            {
                if (Options.KeepMessages)
                {
                    _messages.Add(received);
                }
                long count = ++_count;
                for (int i = _countWaiters.Count - 1; i >= 0; i--)
                {
                    if (_countWaiters[i].Count <= count)
                    {
                        (woken ??= []).Add(_countWaiters[i].Done);
                        _countWaiters.RemoveAt(i);
                    }
                }
            }
            woken?.ForEach(w => w.TrySetResult());
            Options.OnMessage?.Invoke(received);
            return;
        }
        TaskCompletionSource<PubSubCommand>? answered = null;
        lock (_gate)
        {
            if (_pending.TryPeek(out var next) && next.Verb == command.Verb)
            {
                answered = _pending.Dequeue().Done;
            }
            if (command.Verb == PubSubVerb.Subscribed && _slowPending)
            {
                // The slow subscriber: it has its subscription, and from now on it does not read.
                _slowPending = false;
                _resume = NewGate(open: false);
            }
        }
        answered?.TrySetResult(command);
    }

    private void Finish(string why)
    {
        List<TaskCompletionSource> waiters;
        List<TaskCompletionSource<PubSubCommand>> pending;
        lock (_gate)
        {
            _closed.TrySetResult(why);
            waiters = _countWaiters.Select(w => w.Done).ToList();
            _countWaiters.Clear();
            pending = _pending.Select(p => p.Done).ToList();
            _pending.Clear();
        }
        var ended = new IOException($"The connection has ended after {Count} messages: {why}.");
        waiters.ForEach(w => w.TrySetException(ended));
        pending.ForEach(p => p.TrySetException(ended));
    }
}
