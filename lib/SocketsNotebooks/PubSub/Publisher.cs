using System.Buffers;
using System.Net;
using SocketsNotebooks.AppProtocol;
using SocketsNotebooks.Tracing;

namespace SocketsNotebooks.PubSub;

/// <summary>
/// A publisher: one connection to a <see cref="Broker"/> that sends <c>publish &lt;topic&gt; &lt;payload&gt;</c>
/// messages. It does not know who listens and never waits for them; <see cref="PingAsync"/> is its one
/// question, to learn that the broker has handled everything sent so far.
/// </summary>
public sealed class Publisher : IDisposable
{
    private readonly TracedSocket _socket;
    private readonly TimeSpan _timeout;
    private readonly MessageDecoder _decoder = new();
    private long _published;

    private Publisher(TracedSocket socket, TimeSpan timeout)
    {
        _socket = socket;
        _timeout = timeout;
    }

    /// <summary>The trace's connection id of this publisher's socket.</summary>
    public int Conn => _socket.Conn;

    /// <summary>How many messages it has published.</summary>
    public long Published => Interlocked.Read(ref _published);

    /// <summary>Connects to a broker; every later call waits at most <paramref name="timeout"/> (default 10 s).</summary>
    public static async Task<Publisher> ConnectAsync(EndPoint broker, Trace trace, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(broker);
        var limit = timeout ?? TimeSpan.FromSeconds(10);
        var socket = TracedSocket.Tcp(trace, Side.Client, broker.AddressFamily);
        try
        {
            using var cancel = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            cancel.CancelAfter(limit);
            await socket.ConnectAsync(broker, cancel.Token).ConfigureAwait(false);
            // A blocking send that the broker never drains must not hang a cell forever.
            socket.Socket.SendTimeout = (int)limit.TotalMilliseconds;
        }
        catch
        {
            socket.Close(CloseReason.ConnectFailed);
            throw;
        }
        return new Publisher(socket, limit);
    }

    /// <summary>Publishes one message: one framed <c>publish</c>, one <c>sendall()</c>.</summary>
    public void Publish(string topic, string payload)
    {
        _socket.SendAll(PubSubCommand.Publish(topic, payload).ToBytes());
        Interlocked.Increment(ref _published);
    }

    /// <summary>
    /// Publishes many messages with as few <c>send()</c> calls as possible: all of them framed into one
    /// buffer, then one <c>sendall()</c>. The broker cannot tell the difference; the framing says where each ends.
    /// </summary>
    public void Publish(IEnumerable<(string Topic, string Payload)> messages)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var buffer = new ArrayBufferWriter<byte>();
        int count = 0;
        foreach (var (topic, payload) in messages)
        {
            MessageEncoder.Write(PubSubCommand.Publish(topic, payload).ToMessage(), buffer);
            count++;
        }
        _socket.SendAll(buffer.WrittenSpan);
        Interlocked.Add(ref _published, count);
    }

    /// <summary>
    /// Sends <c>ping</c> and waits for <c>pong</c>. The broker handles one connection's messages in order,
    /// so the answer means every earlier publish has been put in the subscribers' queues.
    /// </summary>
    public async Task PingAsync()
    {
        using var cancel = new CancellationTokenSource(_timeout);
        await _socket.SendAllAsync(new PubSubCommand(PubSubVerb.Ping).ToBytes(), cancel.Token).ConfigureAwait(false);
        var buffer = new byte[4096];
        try
        {
            while (true)
            {
                while (_decoder.TryReadMessage(out var message))
                {
                    if (PubSubCommand.TryParse(message, out var command, out _) && command.Verb == PubSubVerb.Pong)
                    {
                        return;
                    }
                }
                int received = await _socket.ReceiveAsync(buffer, cancel.Token).ConfigureAwait(false);
                if (received == 0)
                {
                    throw new IOException("The broker closed the connection before answering ping (its reason is in the trace).");
                }
                _decoder.Feed(buffer.AsSpan(0, received));
            }
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            throw new TimeoutException($"No pong from the broker within {_timeout.TotalMilliseconds:0} ms.");
        }
    }

    /// <summary>Closes the connection (a FIN: the broker sees the publisher leave).</summary>
    public void Close() => _socket.Close(CloseReason.Done);

    /// <inheritdoc/>
    public void Dispose() => Close();

    /// <inheritdoc/>
    public override string ToString() => $"publisher conn {Conn}: {Published:N0} published";
}
