using System.Net;
using System.Net.Sockets;
using SocketsNotebooks.Tracing;

namespace SocketsNotebooks.Echo;

/// <summary>
/// The tutorial's echo client and the variations the first notebook needs: one message, several
/// sends in a row, a large payload, and a non-blocking socket whose <c>send()</c> can come up short.
/// Every call records into the trace as <see cref="Side.Client"/>, and every wait is bounded.
/// </summary>
public static class EchoClient
{
    /// <summary>The longest any single wait (connect, recv, the whole exchange) may take unless told otherwise.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(5);

    // Payloads up to this size fit in loopback's socket buffers both ways, so sending them all
    // before reading cannot deadlock.
    private const int SmallExchange = 32 * 1024;

    /// <summary>
    /// <c>socket()</c> + <c>connect()</c>: a client socket connected to <paramref name="server"/>, whose
    /// blocking <c>Receive</c> gives up after <paramref name="timeout"/> (default 5 s).
    /// </summary>
    public static TracedSocket Connect(IPEndPoint server, Trace trace, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(server);
        ArgumentNullException.ThrowIfNull(trace);
        var client = TracedSocket.Tcp(trace, Side.Client, server.AddressFamily);
        try
        {
            client.ReceiveTimeout = (int)(timeout ?? DefaultTimeout).TotalMilliseconds;
            client.Socket.SendTimeout = client.ReceiveTimeout;
            ConnectWithin(client, server, timeout ?? DefaultTimeout);
            return client;
        }
        catch
        {
            client.Close(CloseReason.ConnectFailed);
            throw;
        }
    }

    /// <summary>
    /// Sends <paramref name="message"/>, half-closes (so the server's <c>recv()</c> returns 0 once it
    /// has everything), reads the echo until the server closes, closes, and returns what came back.
    /// </summary>
    public static byte[] Exchange(IPEndPoint server, byte[] message, Trace trace, int bufferSize = 1024, TimeSpan? timeout = null) =>
        ExchangeMany(server, [message], trace, bufferSize, timeout);

    /// <summary>
    /// Like <see cref="Exchange"/>, but each message goes in its own <c>sendall()</c>, back to back.
    /// TCP keeps no boundaries between them: how the server's <c>recv()</c> calls split the bytes is
    /// up to timing, not up to the sends.
    /// </summary>
    public static byte[] ExchangeMany(IPEndPoint server, IReadOnlyList<byte[]> messages, Trace trace, int bufferSize = 1024,
        TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var limit = timeout ?? DefaultTimeout;
        var client = Connect(server, trace, limit);
        try
        {
            void SendEverything()
            {
                foreach (var message in messages)
                {
                    client.SendAll(message);
                }
                client.Shutdown(SocketShutdown.Send);
            }
            // A large payload goes on another thread while this one reads: the server's sendall()
            // stalls once our receive buffer is full, and a client that only reads after sending
            // everything would wait for it for ever (both sides blocked in send). Small ones fit in
            // the socket buffers and go from this thread, back to back, as the demos need.
            bool small = messages.Sum(m => (long)m.Length) <= SmallExchange;
            var sending = small ? Task.CompletedTask : Task.Run(SendEverything);
            if (small)
            {
                SendEverything();
            }
            var echoed = ReadUntilClosed(client, bufferSize);
            if (!sending.Wait(limit))
            {
                throw new TimeoutException($"Sending did not finish within {limit.TotalSeconds:0.#} s.");
            }
            WaitForOtherEndToClose(trace, client.Conn, TimeSpan.FromSeconds(1));
            return echoed;
        }
        finally
        {
            client.Close(CloseReason.Done);
        }
    }

    /// <summary>
    /// Waits (at most <paramref name="timeout"/>, then carries on) until every socket the server or a
    /// relay opened for connection <paramref name="conn"/> has recorded its close. Our FIN arrives
    /// before the server has finished closing, so without this the server's last calls could land
    /// in the trace after the caller has charted or cleared it.
    /// </summary>
    public static void WaitForOtherEndToClose(Trace trace, int conn, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(trace);
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var others = trace.Events.Where(e => e.Conn == conn && e.Side != Side.Client).ToArray();
            int opened = others.Count(e => e.Kind is TraceKind.Accept or TraceKind.Connect);
            int closed = others.Count(e => e.Kind == TraceKind.Close);
            var left = deadline - DateTime.UtcNow;
            if (closed >= opened || left <= TimeSpan.Zero)
            {
                return;
            }
            int seen = others.Length == 0 ? 0 : others.Max(e => e.Seq);
            try
            {
                trace.WaitForAsync(e => e.Conn == conn && e.Side != Side.Client && e.Kind == TraceKind.Close && e.Seq > seen, left)
                    .GetAwaiter().GetResult();
            }
            catch (TimeoutException)
            {
                return;
            }
        }
    }

    /// <summary>
    /// Calls <c>recv(bufferSize)</c> until the peer closes (a 0-byte read) and returns everything that came.
    /// Each call waits at most the socket's receive timeout.
    /// </summary>
    public static byte[] ReadUntilClosed(TracedSocket socket, int bufferSize = 1024)
    {
        ArgumentNullException.ThrowIfNull(socket);
        var all = new MemoryStream();
        var buffer = new byte[bufferSize];
        int received;
        while ((received = socket.Receive(buffer)) > 0)
        {
            all.Write(buffer, 0, received);
        }
        return all.ToArray();
    }

    /// <summary>
    /// Reads on a background task until the peer closes or <paramref name="timeout"/> passes (then the
    /// task fails with <see cref="TimeoutException"/>). Use it when this thread is busy sending and
    /// the echo must be drained meanwhile; works on blocking and non-blocking sockets alike.
    /// </summary>
    public static Task<byte[]> ReadInBackground(TracedSocket socket, int bufferSize = 64 * 1024, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(socket);
        var limit = timeout ?? DefaultTimeout;
        return Task.Run(async () =>
        {
            using var deadline = new CancellationTokenSource(limit);
            var all = new MemoryStream();
            var buffer = new byte[bufferSize];
            try
            {
                int received;
                while ((received = await socket.ReceiveAsync(buffer, deadline.Token).ConfigureAwait(false)) > 0)
                {
                    all.Write(buffer, 0, received);
                }
            }
            catch (OperationCanceledException) when (deadline.IsCancellationRequested)
            {
                throw new TimeoutException($"The peer did not close within {limit.TotalSeconds:0.#} s ({all.Length:N0} bytes read).");
            }
            return all.ToArray();
        });
    }

    /// <summary>
    /// A connected client set up so that <c>send()</c> can take fewer bytes than it is given:
    /// non-blocking, with a small send buffer. A .NET <c>Send</c> on a blocking socket keeps going
    /// until every byte is taken (the docs promise it), so a short count never shows there. On a
    /// non-blocking socket one <c>send()</c> copies what fits into the send buffer and the peer's
    /// receive window right now and returns that count; on Linux loopback a 1 MB send into a
    /// 16 KiB send buffer takes a few tens of kilobytes (typical; it varies by machine).
    /// </summary>
    public static TracedSocket ConnectNonBlocking(IPEndPoint server, Trace trace, int sendBufferSize = 16 * 1024, TimeSpan? timeout = null)
    {
        var client = TracedSocket.Tcp(trace, Side.Client, server.AddressFamily);
        try
        {
            // Set before connect(), so the connection starts with the small buffer.
            client.Socket.SendBufferSize = sendBufferSize;
            client.ReceiveTimeout = (int)(timeout ?? DefaultTimeout).TotalMilliseconds;
            ConnectWithin(client, server, timeout ?? DefaultTimeout);
            client.Blocking = false;
            return client;
        }
        catch
        {
            client.Close(CloseReason.ConnectFailed);
            throw;
        }
    }

    // A blocking connect() to an address that never answers can wait for minutes; this one gives up.
    private static void ConnectWithin(TracedSocket client, IPEndPoint server, TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            client.ConnectAsync(server, deadline.Token).GetAwaiter().GetResult();
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            client.RecordError($"connect to {server} timed out after {timeout.TotalSeconds:0.#} s");
            throw new TimeoutException($"No answer from {server} within {timeout.TotalSeconds:0.#} s.");
        }
    }

    /// <summary>
    /// The send-all loop for a non-blocking socket, as Python's <c>sendall()</c> does it inside: wait
    /// until there is room (<c>select()</c> for writing, bounded by <paramref name="timeout"/>), send what
    /// fits, repeat. Returns how many <c>send()</c> calls it took.
    /// </summary>
    public static int SendAllNonBlocking(TracedSocket socket, ReadOnlySpan<byte> data, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(socket);
        int waitMicroseconds = (int)(timeout ?? DefaultTimeout).TotalMicroseconds;
        int calls = 0;
        while (!data.IsEmpty)
        {
            if (!socket.Socket.Poll(waitMicroseconds, SelectMode.SelectWrite))
            {
                throw new TimeoutException($"No room in the send buffer for {(timeout ?? DefaultTimeout).TotalSeconds:0.#} s; is the peer reading?");
            }
            data = data[socket.Send(data)..];
            calls++;
        }
        return calls;
    }
}
