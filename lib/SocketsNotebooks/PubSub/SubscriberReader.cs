using System.Net.Sockets;
using SocketsNotebooks.AppProtocol;
using SocketsNotebooks.Tracing;
using Stopwatch = System.Diagnostics.Stopwatch;

namespace SocketsNotebooks.PubSub;

/// <summary>
/// A subscriber's reading task: <c>recv()</c> in a loop, decode, and hand each message on — deliveries to
/// <see cref="SubscriberOptions.OnMessage"/> and the <see cref="MessageInbox"/>, replies to the
/// <see cref="ReplyMatcher"/>. It is the one that notices the end of the connection, says why
/// (<see cref="Closed"/>), and releases everyone still waiting.
/// </summary>
internal sealed class SubscriberReader(TracedSocket socket, SubscriberOptions options, MessageInbox inbox, ReplyMatcher replies) : IDisposable
{
    private readonly MessageDecoder _decoder = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly TaskCompletionSource<string> _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _stop = new();
    private Task _task = Task.CompletedTask;
    // The slow subscriber reads until its first acknowledgement, then shuts the gate.
    private bool _slowPending = options.Slow;
    // How the broker ended the connection, once it has (set before Closed completes).
    private CloseReason? _ended;

    /// <summary>Whether <c>recv()</c> may be called; shut to stop reading.</summary>
    public ReadGate Gate { get; } = new();

    /// <summary>Completes when the connection ends, with why.</summary>
    public Task<string> Closed => _closed.Task;

    /// <summary>Starts the reading task.</summary>
    public void Start() => _task = Task.Run(ReadLoopAsync);

    /// <summary>
    /// Stops the reading task, closes the connection (a FIN to the broker) and waits, bounded, for the task
    /// to end. Never throws for how the reading ended: <see cref="Closed"/> says that.
    /// </summary>
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
            _task.Wait(options.Timeout);
        }
        catch (AggregateException)
        {
            // The loop completes Closed in its finally before anything can escape it; what escapes
            // (a Trace.Recorded handler throwing while the end is recorded) is not a reason for Close,
            // often called in a cleanup loop, to fail: the reason is already in Closed.
        }
    }

    /// <summary>Closes, then lets go of the stop signal.</summary>
    public void Dispose()
    {
        Close();
        _stop.Dispose();
    }

    private async Task ReadLoopAsync()
    {
        var buffer = new byte[options.ReceiveSize];
        // Every way out of the loop passes the finally below, so Closed always completes and no
        // waiter is left hanging.
        string why = "the reading task stopped";
        // Set when this end decides to leave (the broker is still there and would keep sending).
        CloseReason? leave = null;
        try
        {
            while (true)
            {
                await Gate.WaitAsync(_stop.Token).ConfigureAwait(false);
                int received = await socket.ReceiveAsync(buffer, _stop.Token).ConfigureAwait(false);
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
                // Let the other subscribers of this process read too. While bytes wait in the kernel, ReceiveAsync
                // completes at once and this loop would keep its pool thread for as long as the broker keeps the
                // socket full (megabytes on loopback): measured with 150 subscribers in one process on 2 cores, the
                // median one then read nothing for 15 s at a stretch, and the broker rightly took it for stuck.
                await Task.Yield();
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
                    // The reason goes into the trace before Closed completes.
                    Leave(reason, why);
                }
            }
            finally
            {
                Finish(why);
            }
        }
    }

    // Handles one decoded message; returns why the subscriber must stop, or null to go on.
    private string? Dispatch(Message message)
    {
        if (!PubSubCommand.TryParse(message, out var command, out string error))
        {
            throw new ProtocolException(ProtocolError.InvalidContent, error);
        }
        if (command.Verb == PubSubVerb.Message)
        {
            var received = new PubSubMessage(command.Topic, command.Payload, Math.Round(_clock.Elapsed.TotalMilliseconds, 3));
            if (options.OnMessage is { } onMessage)
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
            inbox.Add(received);
            return null;
        }
        if (command.Verb == PubSubVerb.Subscribed && _slowPending)
        {
            // The slow subscriber: it has its subscription, and from now on it does not read. Shut
            // before the acknowledgement is handed over, so whoever awaited it sees IsReading false.
            _slowPending = false;
            Gate.Shut();
        }
        replies.TryAnswer(command);
        return null;
    }

    // Shuts down and closes the socket, recording the reason; safe to call twice and from both ends.
    private void Leave(CloseReason reason, string? detail = null)
    {
        if (!socket.IsClosed)
        {
            // A FIN first: closing a socket that the reader thread is blocked in recv() on makes
            // .NET abort it, and the broker would see a reset instead of a polite goodbye.
            try
            {
                socket.Shutdown(SocketShutdown.Both);
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                // Already gone (the broker cut us off, or Close and the reading task both got
                // here); Close below records the end once.
            }
        }
        socket.Close(reason, detail);
    }

    private void Finish(string why)
    {
        _closed.TrySetResult(why);
        var ended = new IOException($"The connection has ended after {inbox.Count} messages: {why}.");
        inbox.End(why, ended);
        replies.End(why, ended);
    }
}
