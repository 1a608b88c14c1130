using System.Net;
using System.Net.Sockets;
using System.Text;
using SocketsNotebooks.Selectors;
using SocketsNotebooks.Tracing;

namespace SocketsNotebooks.MultiConn;

/// <summary>
/// The tutorial's <c>multiconn-client.py</c>: opens N non-blocking connections at once, and on one
/// thread with a <see cref="Selector"/> sends each its list of messages and reads the echo, closing a
/// connection when all its bytes came back. Bounded by <see cref="MultiConnClientOptions.Timeout"/>.
/// </summary>
public static class MultiConnClient
{
    /// <summary>The tutorial's two messages.</summary>
    public static IReadOnlyList<byte[]> DefaultMessages { get; } =
        [Encoding.ASCII.GetBytes("Message 1 from client."), Encoding.ASCII.GetBytes("Message 2 from client.")];

    /// <summary>Runs the client on the calling thread: <paramref name="numConnections"/> connections, each sending <paramref name="messages"/> (the tutorial's two by default).</summary>
    public static MultiConnClientResult Run(EndPoint server, int numConnections, Trace trace,
        IReadOnlyList<byte[]>? messages = null, MultiConnClientOptions? options = null)
    {
        var same = messages ?? DefaultMessages;
        return Run(server, numConnections, trace, _ => same, options);
    }

    /// <summary>Runs the client on the calling thread; <paramref name="messagesFor"/> gives connection <c>connid</c> (1..N) its own messages.</summary>
    public static MultiConnClientResult Run(EndPoint server, int numConnections, Trace trace,
        Func<int, IReadOnlyList<byte[]>> messagesFor, MultiConnClientOptions? options = null) =>
        new Loop(trace, options ?? new MultiConnClientOptions()).Run(server, numConnections, messagesFor);

    /// <summary>Runs the client on a thread of its own, so a notebook cell or test can await it while a server runs.</summary>
    public static Task<MultiConnClientResult> RunAsync(EndPoint server, int numConnections, Trace trace,
        IReadOnlyList<byte[]>? messages = null, MultiConnClientOptions? options = null) =>
        Task.Factory.StartNew(() => Run(server, numConnections, trace, messages, options),
            CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    /// <summary>Like <see cref="RunAsync(EndPoint, int, Trace, IReadOnlyList{byte[]}?, MultiConnClientOptions?)"/> with per-connection messages.</summary>
    public static Task<MultiConnClientResult> RunAsync(EndPoint server, int numConnections, Trace trace,
        Func<int, IReadOnlyList<byte[]>> messagesFor, MultiConnClientOptions? options = null) =>
        Task.Factory.StartNew(() => Run(server, numConnections, trace, messagesFor, options),
            CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    private sealed class Loop(Trace trace, MultiConnClientOptions options)
    {
        private readonly Selector _selector = new();
        private readonly LoopStats _stats = new();
        private readonly byte[] _receiveBuffer = new byte[options.ReceiveSize];
        private readonly List<ClientConnectionResult> _results = [];

        public MultiConnClientResult Run(EndPoint server, int numConnections, Func<int, IReadOnlyList<byte[]>> messagesFor)
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(numConnections);
            _stats.LoopThreadId = Environment.CurrentManagedThreadId;
            var deadline = TimeSpan.FromMilliseconds(_stats.NowMs) + options.Timeout;
            try
            {
                StartConnections(server, numConnections, messagesFor);
                // The tutorial's client loop: select with a timeout, service what is ready,
                // stop when nothing is registered any more.
                while (_selector.Count > 0)
                {
                    var left = deadline - TimeSpan.FromMilliseconds(_stats.NowMs);
                    if (left <= TimeSpan.Zero)
                    {
                        break;
                    }
                    var events = _selector.Select(left < options.SelectTimeout ? left : options.SelectTimeout);
                    int serviced = 0;
                    foreach (var (key, mask) in events)
                    {
                        serviced += ServiceConnection(key, mask);
                    }
                    _stats.WakeUp(events.Count, serviced);
                }
            }
            finally
            {
                foreach (var key in _selector.Keys)
                {
                    Close((ClientConnection)key.Data!, CloseReason.TimedOut, $"not finished within {options.Timeout.TotalSeconds:0.###} s");
                }
            }
            var ordered = _results.OrderBy(r => r.ConnId).ToArray();
            return new MultiConnClientResult(ordered, _stats, Math.Round(_stats.NowMs, 3));
        }

        // The tutorial's start_connections: every connect is started before any finishes.
        private void StartConnections(EndPoint server, int numConnections, Func<int, IReadOnlyList<byte[]>> messagesFor)
        {
            for (int connId = 1; connId <= numConnections; connId++)
            {
                options.Log?.Invoke($"Starting connection {connId} to {PythonRepr.Address(server)}");
                var sock = TracedSocket.Tcp(trace, Side.Client, server.AddressFamily);
                sock.Blocking = false;
                sock.NoDelay = options.NoDelay;
                var state = new ClientConnection(connId, sock, messagesFor(connId), _stats.NowMs);
                var started = sock.ConnectEx(server);
                if (started is not (SocketError.Success or SocketError.WouldBlock or SocketError.InProgress))
                {
                    _results.Add(state.Result(CloseReason.ConnectFailed, _stats.NowMs));
                    sock.Close(CloseReason.ConnectFailed, started.ToString());
                    continue;
                }
                // Writable = the handshake ended (either way). The naive client watches Read too, all along.
                _selector.Register(sock, options.Naive ? SelectorEvents.Read | SelectorEvents.Write : SelectorEvents.Write, state);
            }
        }

        // The tutorial's client service_connection. Returns 1 if it moved bytes or changed state.
        private int ServiceConnection(SelectorKey key, SelectorEvents mask)
        {
            var state = (ClientConnection)key.Data!;
            var sock = state.Socket;
            try
            {
                if (state.Connecting)
                {
                    var error = sock.FinishConnect();
                    if (error != SocketError.Success)
                    {
                        Close(state, CloseReason.ConnectFailed);
                        return 1;
                    }
                    state.Connecting = false;
                    _stats.Opened(sock.Conn, sock.RemoteEndPoint?.ToString() ?? "?");
                    Watch(key, state);
                    return 1;
                }
                int serviced = 0;
                if ((mask & SelectorEvents.Read) != 0)
                {
                    int received = sock.Receive(_receiveBuffer);
                    serviced = 1;
                    if (received > 0)
                    {
                        options.Log?.Invoke($"Received {PythonBytes.Repr(_receiveBuffer.AsSpan(0, received), 60)} from connection {state.ConnId}");
                        state.Received.Write(_receiveBuffer, 0, received);
                        state.Recvs++;
                        _stats.Received(sock.Conn, received);
                    }
                    if (received == 0 || state.RecvTotal >= state.MsgTotal)
                    {
                        // FIN before everything came back means the server gave up on us.
                        Close(state, state.RecvTotal >= state.MsgTotal ? CloseReason.Done : CloseReason.PeerClosedEarly);
                        return 1;
                    }
                }
                if ((mask & SelectorEvents.Write) != 0)
                {
                    if (state.Outb.Length == 0 && state.Messages.Count > 0)
                    {
                        state.Outb.Write(state.Messages.Dequeue());
                    }
                    if (state.Outb.Length > 0)
                    {
                        options.Log?.Invoke($"Sending {PythonBytes.Repr(state.Outb.Pending, 60)} to connection {state.ConnId}");
                        int sent = sock.Send(state.Outb.Pending);
                        state.Outb.Consume(sent);
                        state.SentTotal += sent;
                        _stats.Sent(sock.Conn, sent);
                        serviced = 1;
                    }
                }
                Watch(key, state);
                return serviced;
            }
            catch (SocketException e) when (e.IsPeerReset())
            {
                Close(state, CloseReason.PeerReset, e.SocketErrorCode.ToString());
                return 1;
            }
            catch (SocketException e)
            {
                Close(state, CloseReason.SocketError, e.SocketErrorCode.ToString());
                return 1;
            }
        }

        // Read once connected (the echo must come back); Write only while something is left to send.
        private void Watch(SelectorKey key, ClientConnection state)
        {
            if (options.Naive)
            {
                return;
            }
            var wanted = state.HasMoreToSend ? SelectorEvents.Read | SelectorEvents.Write : SelectorEvents.Read;
            if (wanted != key.Events)
            {
                _selector.Modify(key, wanted);
            }
        }

        private void Close(ClientConnection state, CloseReason reason, string detail = "")
        {
            options.Log?.Invoke($"Closing connection {state.ConnId}");
            _selector.Unregister(state.Socket);
            _stats.Closed(state.Socket.Conn, reason);
            _results.Add(state.Result(reason, _stats.NowMs));
            state.Socket.Close(reason, detail);
        }
    }
}
