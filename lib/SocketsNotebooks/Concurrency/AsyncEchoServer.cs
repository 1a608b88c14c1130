using System.Net;
using System.Net.Sockets;
using SocketsNotebooks.Tracing;

namespace SocketsNotebooks.Concurrency;

/// <summary>
/// The echo as <c>async</c>/<c>await</c>: <c>await AcceptAsync</c>, then for each connection
/// <c>await ReceiveAsync</c> / <c>await SendAsync</c> in a loop that reads like the blocking one.
/// No thread waits for a connection: an <c>await</c> that has to wait hands the socket to the
/// runtime's own event loop (epoll on Linux, IOCP on Windows), and when the socket is ready the rest
/// of the method runs on a thread-pool thread. So a few threads serve any number of connections.
/// </summary>
public sealed class AsyncEchoServer : EchoModelServer
{
    private static readonly TimeSpan s_drainTimeout = TimeSpan.FromSeconds(3);

    private readonly Func<Socket, CancellationToken, Task>? _handler;
    private readonly TaskCompletionSource _handlersDone = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _handlersRunning;
    private Exception? _lastHandlerFailure;

    private AsyncEchoServer(string name, Trace? trace, int bufferSize, Func<Socket, CancellationToken, Task>? handler)
        : base(name, trace, bufferSize)
    {
        _handler = handler;
    }

    /// <inheritdoc/>
    public override ConcurrencyModel Model => ConcurrencyModel.Async;

    /// <summary>Connections whose handler is still running.</summary>
    public int HandlersRunning => Volatile.Read(ref _handlersRunning);

    /// <summary>The last exception a handler of your own threw (other than the sockets being closed by Stop), if any.</summary>
    public Exception? LastHandlerFailure => Volatile.Read(ref _lastHandlerFailure);

    /// <summary>
    /// Starts the server on 127.0.0.1 and a free port (or <paramref name="endPoint"/>), recording into
    /// <paramref name="trace"/> if one is given. <paramref name="handler"/> replaces the built-in echo:
    /// it gets each accepted connection's plain socket (untraced) and the server's stop token, and
    /// the server closes the socket when it returns. A server already running under <paramref name="name"/> is stopped first.
    /// </summary>
    public static AsyncEchoServer Start(Trace? trace = null, string name = "async-echo", IPEndPoint? endPoint = null,
        int bufferSize = 1024, Func<Socket, CancellationToken, Task>? handler = null)
    {
        var server = new AsyncEchoServer(name, trace, bufferSize, handler);
        server.Start(endPoint);
        return server;
    }

    /// <inheritdoc/>
    protected override async Task RunAsync(CancellationToken stopping)
    {
        try
        {
            while (!stopping.IsCancellationRequested)
            {
                ServedConnection connection;
                try
                {
                    connection = await AcceptAsync(stopping).ConfigureAwait(false);
                }
                catch (SocketException) when (!stopping.IsCancellationRequested)
                {
                    await Task.Delay(10, stopping).ConfigureAwait(false);
                    continue;
                }
                Interlocked.Increment(ref _handlersRunning);
                // Called, not queued: the handler runs on this thread until its first await that has
                // to wait (usually the first ReceiveAsync), then this loop goes back to accepting. A
                // handler that blocks instead of awaiting holds up every later accept, which the
                // notebook's exercise makes visible.
                _ = ServeAsync(connection);
            }
        }
        finally
        {
            // Stop() closed every socket, so each pending ReceiveAsync fails and its handler ends.
            if (Volatile.Read(ref _handlersRunning) > 0)
            {
                await _handlersDone.Task.WaitAsync(s_drainTimeout, CancellationToken.None).ConfigureAwait(false);
            }
        }
    }

    private async Task ServeAsync(ServedConnection connection)
    {
        var reason = CloseReason.PeerClosed;
        string detail = "";
        try
        {
            if (_handler is { } handler)
            {
                await handler(connection.Socket, Stopping).ConfigureAwait(false);
            }
            else
            {
                await EchoAsync(connection).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            (reason, detail) = Classify(e);
            if (_handler is not null && reason != CloseReason.Stopped)
            {
                Volatile.Write(ref _lastHandlerFailure, e);
            }
        }
        finally
        {
            Close(connection, reason, detail);
            if (Interlocked.Decrement(ref _handlersRunning) == 0 && Stopping.IsCancellationRequested)
            {
                _handlersDone.TrySetResult();
            }
        }
    }

    // The blocking loop of notebook 01 with an await before each call.
    private async Task EchoAsync(ServedConnection connection)
    {
        var buffer = new byte[BufferSize];
        int received;
        while ((received = await connection.ReceiveAsync(buffer).ConfigureAwait(false)) > 0)
        {
            for (int sent = 0; sent < received;)
            {
                sent += await connection.SendAsync(buffer.AsMemory(sent, received - sent)).ConfigureAwait(false);
            }
        }
        // FIN: the peer will send no more, and everything it sent went back.
    }
}
