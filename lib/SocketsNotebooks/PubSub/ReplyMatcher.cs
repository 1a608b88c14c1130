using SocketsNotebooks.Tracing;

namespace SocketsNotebooks.PubSub;

/// <summary>
/// Request and answer on a subscriber's connection: sends a command (<c>subscribe</c>, <c>unsubscribe</c>,
/// <c>ping</c>) and waits for the broker's reply to it. The broker handles one connection's commands in
/// order, so replies match requests first in, first out; the deliveries in between are not replies and
/// never reach this type. A refused request gets <c>error &lt;command&gt; &lt;reason&gt;</c> in its answer's
/// place, and its wait fails with <see cref="BrokerRefusedException"/>.
/// </summary>
internal sealed class ReplyMatcher(TracedSocket socket, TimeSpan timeout, TimeProvider time)
{
    private readonly object _gate = new();
    private readonly LinkedList<(PubSubVerb Request, PubSubVerb Verb, TaskCompletionSource<PubSubCommand> Done)> _pending = new();
    // Why the connection ended, once it has.
    private string? _ended;

    /// <summary>
    /// Sends <paramref name="request"/> and waits for the reply <paramref name="answer"/>, each within the
    /// subscriber's timeout. <paramref name="isReading"/> lets a timeout say that nobody reads the reply.
    /// </summary>
    public async Task<PubSubCommand> RequestAsync(PubSubCommand request, PubSubVerb answer, Func<bool> isReading)
    {
        byte[] bytes = request.ToBytes();
        var done = new TaskCompletionSource<PubSubCommand>(TaskCreationOptions.RunContinuationsAsynchronously);
        LinkedListNode<(PubSubVerb, PubSubVerb, TaskCompletionSource<PubSubCommand>)> waiting;
        lock (_gate)
        {
            if (_ended is not null)
            {
                throw new IOException($"The connection has ended: {_ended}.");
            }
            // Queued before sending: on loopback the answer can arrive before SendAllAsync returns.
            waiting = _pending.AddLast((request.Verb, answer, done));
        }
        try
        {
            using var sending = new CancellationTokenSource(timeout, time);
            await socket.SendAllAsync(bytes, sending.Token).ConfigureAwait(false);
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
                throw new TimeoutException($"Sending '{request.Verb.ToString().ToLowerInvariant()}' took longer than {timeout.TotalMilliseconds:0} ms: the broker is not reading what this subscriber sends.", e);
            }
            throw;
        }
        try
        {
            // A request that was sent keeps its place even if this wait gives up: the broker
            // answers in order, so a late answer is still this request's, not the next one's.
            return await done.Task.WaitAsync(timeout, time).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"No '{answer.ToString().ToLowerInvariant()}' from the broker within {timeout.TotalMilliseconds:0} ms{(isReading() ? "" : " (this subscriber is not reading)")}.");
        }
    }

    /// <summary>
    /// Hands a reply from the broker to the oldest request waiting for it (a refusal fails that request
    /// with <see cref="BrokerRefusedException"/>); false if it answers none.
    /// </summary>
    public bool TryAnswer(PubSubCommand reply)
    {
        ArgumentNullException.ThrowIfNull(reply);
        bool refused = reply.Verb == PubSubVerb.Error;
        TaskCompletionSource<PubSubCommand>? answered = null;
        lock (_gate)
        {
            if (_pending.First is { } next && (refused
                ? string.Equals(next.Value.Request.ToString(), reply.Topic, StringComparison.OrdinalIgnoreCase)
                : next.Value.Verb == reply.Verb))
            {
                answered = next.Value.Done;
                _pending.RemoveFirst();
            }
        }
        if (answered is null)
        {
            return false;
        }
        return refused ? answered.TrySetException(new BrokerRefusedException(reply)) : answered.TrySetResult(reply);
    }

    /// <summary>The connection has ended: every request still waiting fails with <paramref name="failure"/>, later ones with <paramref name="why"/>.</summary>
    public void End(string why, Exception failure)
    {
        List<TaskCompletionSource<PubSubCommand>> pending;
        lock (_gate)
        {
            _ended ??= why;
            pending = _pending.Select(p => p.Done).ToList();
            _pending.Clear();
        }
        pending.ForEach(p => p.TrySetException(failure));
    }
}
