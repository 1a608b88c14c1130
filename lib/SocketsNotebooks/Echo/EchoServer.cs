using System.Globalization;
using System.Net;
using System.Net.Sockets;
using SocketsNotebooks.Hosting;
using SocketsNotebooks.Tracing;

namespace SocketsNotebooks.Echo;

/// <summary>
/// The tutorial's first server, in C#: bind, listen, accept one client, then <c>recv()</c> into a
/// buffer and send back whatever came, until the client closes; then the next client. Blocking
/// calls on a thread of its own, serving clients one after another, until <see cref="BackgroundServer.Stop"/>.
/// </summary>
public sealed class EchoServer : BackgroundServer
{
    private readonly int _bufferSize;
    private int _served;

    private EchoServer(string name, Trace trace, int bufferSize, TimeSpan idleTimeout)
        : base(name, trace)
    {
        _bufferSize = bufferSize;
        IdleTimeout = idleTimeout;
    }

    /// <summary>The size of the buffer each <c>recv()</c> is given: the most one call can return.</summary>
    public int BufferSize => _bufferSize;

    /// <summary>How long the server waits for a quiet client before it closes that connection.</summary>
    public TimeSpan IdleTimeout { get; }

    /// <summary>
    /// A pause before every <c>recv()</c>, counted from the moment data is there, like a server busy
    /// with something else. Whatever the client sends meanwhile waits in the server's receive
    /// buffer, and the next <c>recv()</c> takes it all at once, so message boundaries visibly vanish.
    /// Zero (the default) reads at once. Can be changed while the server runs.
    /// </summary>
    public TimeSpan PauseBeforeRecv { get; set; }

    /// <summary>Connections served so far.</summary>
    public int Served => Volatile.Read(ref _served);

    /// <summary>
    /// Starts the echo server on 127.0.0.1 and a free port (or <paramref name="endPoint"/>), recording
    /// into <paramref name="trace"/> (a new one if none). A server already running under
    /// <paramref name="name"/> is stopped first, so re-running a cell does not leak a listener.
    /// </summary>
    public static EchoServer Start(Trace? trace = null, string name = "echo", IPEndPoint? endPoint = null,
        int bufferSize = 1024, TimeSpan? idleTimeout = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bufferSize, 1, nameof(bufferSize));
        var server = new EchoServer(name, trace ?? new Trace(), bufferSize, idleTimeout ?? TimeSpan.FromSeconds(10));
        server.Start(endPoint ?? new IPEndPoint(IPAddress.Loopback, 0));
        return server;
    }

    /// <inheritdoc/>
    protected override Task RunAsync(CancellationToken stopping)
    {
        // The tutorial's loop, one client at a time: accept() blocks until a client connects
        // (Stop() wakes it by closing the listener).
        while (!stopping.IsCancellationRequested)
        {
            var conn = Track(Listener.Accept());
            if (stopping.IsCancellationRequested)
            {
                CloseConnection(conn, CloseReason.Stopped);
                break;
            }
            Serve(conn, stopping);
        }
        return Task.CompletedTask;
    }

    private void Serve(TracedSocket conn, CancellationToken stopping)
    {
        var reason = CloseReason.PeerClosed;
        string? detail = null;
        try
        {
            // Bounded: a client that goes quiet cannot hold the one-at-a-time server for ever.
            conn.ReceiveTimeout = (int)IdleTimeout.TotalMilliseconds;
            var buffer = new byte[_bufferSize];
            while (true)
            {
                var pause = PauseBeforeRecv;
                if (pause > TimeSpan.Zero)
                {
                    // The pause starts once data is there, so everything the client sends in the
                    // next moment is waiting by the time recv() runs, however late the client was.
                    // A client quiet for the whole wait is idle now: recv() would only wait the
                    // idle timeout a second time after the pause.
                    if (!conn.Socket.Poll(IdleTimeout, SelectMode.SelectRead))
                    {
                        (reason, detail) = (CloseReason.IdleTimeout, IdleDetail());
                        return;
                    }
                    if (stopping.WaitHandle.WaitOne(pause))
                    {
                        return;
                    }
                }
                int received = conn.Receive(buffer);
                if (received == 0)
                {
                    return; // FIN: the client has nothing more to send.
                }
                conn.SendAll(buffer.AsSpan(0, received));
            }
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.TimedOut)
        {
            // SO_RCVTIMEO ran out (EAGAIN, which .NET calls TimedOut).
            (reason, detail) = (CloseReason.IdleTimeout, IdleDetail());
        }
        catch (SocketException e) when (e.IsPeerReset())
        {
            // A reset ends this client only; the server goes on to the next one.
            (reason, detail) = (CloseReason.PeerReset, e.SocketErrorCode.ToString());
        }
        catch (SocketException e) when (!stopping.IsCancellationRequested)
        {
            (reason, detail) = (CloseReason.SocketError, e.SocketErrorCode.ToString());
        }
        finally
        {
            // Counted before the close: a client that has read our FIN must find itself counted.
            Interlocked.Increment(ref _served);
            if (stopping.IsCancellationRequested)
            {
                CloseConnection(conn, CloseReason.Stopped);
            }
            else
            {
                CloseConnection(conn, reason, detail);
            }
        }
    }

    private string IdleDetail() => string.Create(CultureInfo.InvariantCulture, $"nothing received for {IdleTimeout.TotalSeconds:0.#} s");
}
