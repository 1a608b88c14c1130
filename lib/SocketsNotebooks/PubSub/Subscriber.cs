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
    private readonly LinkedList<(PubSubVerb Verb, TaskCompletionSource<PubSubCommand> Done)> _pending = new();
    private readonly List<(long Count, TaskCompletionSource Done)> _countWaiters = [];
    private readonly TaskCompletionSource<string> _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _stop = new();
    private TaskCompletionSource _resume = NewGate(open: true);
    private Task _reader = Task.CompletedTask;
    private long _count;
    private int _taken;
    private bool _slowPending;
    // How the broker ended the connection, once it has (set by the reading task before Closed completes).
    private CloseReason? _ended;

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

    /// <summary>How many published messages arrived so far (each counts once <see cref="SubscriberOptions.OnMessage"/> has had it).</summary>
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
            if (options.SendBufferSize is { } sendSize)
            {
                socket.Socket.SendBufferSize = sendSize;
            }
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(options.Timeout);
            await socket.ConnectAsync(broker, timeout.Token).ConfigureAwait(false);
        }
        catch
        {
            socket.Close(CloseReason.ConnectFailed);
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

    /// <summary>Closes the connection (a FIN to the broker) and waits, bounded, for the reading task to end. Never throws for how the reading ended: <see cref="Closed"/> says that.</summary>
    public void Close()
    {
        if (!_stop.IsCancellationRequested)
        {
            _stop.Cancel();
        }
        // After the broker hung up (FIN or reset) closing is the answer to that; otherwise this end is done.
        Leave(_ended ?? CloseReason.Done);
        try
        {
            _reader.Wait(Options.Timeout);
        }
        catch (AggregateException)
        {
            // The reader completes Closed in its finally before anything can escape it; what escapes
            // (a Trace.Recorded handler throwing while the end is recorded) is not a reason for Close,
            // often called in a cleanup loop, to fail: the reason is already in Closed.
        }
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
        byte[] bytes = request.ToBytes();
        var done = new TaskCompletionSource<PubSubCommand>(TaskCreationOptions.RunContinuationsAsynchronously);
        LinkedListNode<(PubSubVerb, TaskCompletionSource<PubSubCommand>)> waiting;
        lock (_gate)
        {
            if (_closed.Task.IsCompleted)
            {
                throw new IOException($"The connection has ended: {_closed.Task.Result}.");
            }
            // The broker answers in order, so the answers match the requests first in, first out.
            // Queued before sending: on loopback the answer can arrive before SendAllAsync returns.
            waiting = _pending.AddLast((answer, done));
        }
        try
        {
            using var timeout = new CancellationTokenSource(Options.Timeout);
            await _socket.SendAllAsync(bytes, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            // A request the broker never got has no answer coming; left in the queue it would take
            // the next request's answer (or, being at the head, block every answer behind it).
            lock (_gate)
            {
                if (waiting.List is not null)
                {
                    _pending.Remove(waiting);
                }
            }
            if (e is OperationCanceledException)
            {
                throw new TimeoutException($"Sending '{request.Verb.ToString().ToLowerInvariant()}' took longer than {Options.Timeout.TotalMilliseconds:0} ms: the broker is not reading what this subscriber sends.", e);
            }
            throw;
        }
        try
        {
            // A request that was sent keeps its place even if this wait gives up: the broker
            // answers in order, so a late answer is still this request's, not the next one's.
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
        // Every way out of the loop passes the finally below, so Closed always completes and no
        // waiter (the CLI's `subscribe <topic> <count>` waits with no timeout) is left hanging.
        string why = "the reading task stopped";
        // Set when this end decides to leave (the broker is still there and would keep sending).
        CloseReason? leave = null;
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
                    _ended = CloseReason.PeerClosed;
                    break;
                }
                _decoder.Feed(buffer.AsSpan(0, received));
                string? fault = null;
                while (fault is null && _decoder.TryReadMessage(out var message))
                {
                    fault = Dispatch(message);
                }
                if (fault is not null)
                {
                    why = fault;
                    leave = CloseReason.AppError;
                    break;
                }
            }
        }
        catch (Exception) when (_stop.IsCancellationRequested)
        {
            why = "closed by the subscriber";
        }
        catch (SocketException e) when (e.IsPeerReset())
        {
            why = "broker reset the connection (RST)";
            _ended = CloseReason.PeerReset;
        }
        catch (SocketException e)
        {
            why = $"{e.SocketErrorCode}";
            _ended = CloseReason.SocketError;
        }
        catch (ProtocolException e)
        {
            why = $"the broker broke the protocol: {e.Reason}";
            leave = CloseReason.ProtocolError;
        }
        catch (ObjectDisposedException)
        {
            why = "closed by the subscriber";
        }
        catch (Exception e)
        {
            // Neither the network nor the broker: a bug, or a Trace.Recorded handler that threw.
            why = $"the reading task failed: {e.GetType().Name}: {e.Message}";
            leave = CloseReason.AppError;
        }
        finally
        {
            try
            {
                if (leave is { } reason)
                {
                    // The reason goes into the trace, before Closed completes.
                    Leave(reason, why);
                }
            }
            finally
            {
                Finish(why);
            }
        }
    }

    /// <summary>Shuts down and closes the socket, recording <paramref name="reason"/> and <paramref name="detail"/>; safe to call twice and from both ends.</summary>
    private void Leave(CloseReason reason, string? detail = null)
    {
        if (!_socket.IsClosed)
        {
            // A FIN first: closing a socket that the reader thread is blocked in recv() on makes
            // .NET abort it, and the broker would see a reset instead of a polite goodbye.
            try
            {
                _socket.Shutdown(SocketShutdown.Both);
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                // Already gone (the broker cut us off, or Close and the reading task both got
                // here); Close below records the end once.
            }
        }
        _socket.Close(reason, detail);
    }

    /// <summary>Handles one decoded message; returns why the subscriber must stop, or null to go on.</summary>
    private string? Dispatch(AppProtocol.Message message)
    {
        if (!PubSubCommand.TryParse(message, out var command, out string error))
        {
            throw new ProtocolException(ProtocolError.InvalidContent, error);
        }
        if (command.Verb == PubSubVerb.Message)
        {
            var received = new PubSubMessage(command.Topic, command.Payload, Math.Round(_clock.Elapsed.TotalMilliseconds, 3));
            if (Options.OnMessage is { } onMessage)
            {
                // The handler first, so a waiter released at N knows the handler saw N messages.
                // A handler that throws ends this subscriber rather than being skipped: it is where
                // the messages go (the CLI prints them), and counting on after it broke would report
                // messages as received that nobody saw.
                try
                {
                    onMessage(received);
                }
                catch (Exception e)
                {
                    return $"OnMessage threw {e.GetType().Name}: {e.Message}";
                }
            }
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
            return null;
        }
        TaskCompletionSource<PubSubCommand>? answered = null;
        lock (_gate)
        {
            if (_pending.First is { } next && next.Value.Verb == command.Verb)
            {
                answered = next.Value.Done;
                _pending.RemoveFirst();
            }
            if (command.Verb == PubSubVerb.Subscribed && _slowPending)
            {
                // The slow subscriber: it has its subscription, and from now on it does not read.
                _slowPending = false;
                _resume = NewGate(open: false);
            }
        }
        answered?.TrySetResult(command);
        return null;
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
