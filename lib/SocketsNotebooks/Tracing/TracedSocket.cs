using System.Net;
using System.Net.Sockets;

namespace SocketsNotebooks.Tracing;

/// <summary>
/// A TCP <see cref="System.Net.Sockets.Socket"/> that records every call into a <see cref="Trace"/>.
/// It keeps the BCL's names (<c>Bind</c>, <c>Listen</c>, <c>Accept</c>, <c>Connect</c>, <c>Send</c>,
/// <c>Receive</c>, <c>Shutdown</c>, <c>Close</c>) so a cell reads like ordinary socket code.
/// The wrapped socket stays reachable through <see cref="Socket"/> for options and <c>Select</c>.
/// </summary>
public sealed partial class TracedSocket : IDisposable
{
    private int _closed;

    /// <summary>Wraps an existing socket; <paramref name="conn"/> 0 means "not connected yet".</summary>
    public TracedSocket(Socket socket, Trace trace, Side side, int conn = 0)
    {
        Socket = socket ?? throw new ArgumentNullException(nameof(socket));
        Trace = trace ?? throw new ArgumentNullException(nameof(trace));
        Side = side;
        Conn = conn;
    }

    /// <summary>A new IPv4 TCP socket, like Python's <c>socket.socket(AF_INET, SOCK_STREAM)</c>.</summary>
    public static TracedSocket Tcp(Trace trace, Side side, AddressFamily family = AddressFamily.InterNetwork) =>
        new(new Socket(family, SocketType.Stream, ProtocolType.Tcp), trace, side);

    /// <summary>The BCL socket underneath.</summary>
    public Socket Socket { get; }

    /// <summary>Where this socket's calls are recorded.</summary>
    public Trace Trace { get; }

    /// <summary>Server, client or relay.</summary>
    public Side Side { get; }

    /// <summary>The connection id shared by both ends of this TCP connection (0 for a listener).</summary>
    public int Conn { get; private set; }

    /// <summary>The address and port this socket is bound to.</summary>
    public IPEndPoint? LocalEndPoint => Socket.LocalEndPoint as IPEndPoint;

    /// <summary>The peer's address and port, once connected.</summary>
    public IPEndPoint? RemoteEndPoint => Socket.RemoteEndPoint as IPEndPoint;

    /// <summary>Whether calls wait (<c>true</c>, the default) or fail at once with <c>WouldBlock</c>.</summary>
    public bool Blocking { get => Socket.Blocking; set => Socket.Blocking = value; }

    /// <summary>TCP_NODELAY: send small segments at once instead of waiting to coalesce them (Nagle).</summary>
    public bool NoDelay { get => Socket.NoDelay; set => Socket.NoDelay = value; }

    /// <summary>Milliseconds a blocking <c>Receive</c> waits before failing with <c>TimedOut</c> (0 = forever).</summary>
    public int ReceiveTimeout { get => Socket.ReceiveTimeout; set => Socket.ReceiveTimeout = value; }

    /// <summary>Whether the socket has been closed (by <see cref="Close()"/>, <see cref="Close(CloseReason, string?)"/> or <see cref="Abort"/>).</summary>
    public bool IsClosed => Volatile.Read(ref _closed) != 0;

    /// <summary><c>bind()</c>: claims a local address and port (port 0 lets the OS choose).</summary>
    public void Bind(EndPoint localEndPoint) => Traced(() => Socket.Bind(localEndPoint));

    /// <summary><c>bind()</c> to an address and port.</summary>
    public void Bind(IPAddress address, int port) => Bind(new IPEndPoint(address, port));

    /// <summary><c>listen()</c>: start queueing incoming connections.</summary>
    public void Listen(int backlog = 128)
    {
        Traced(() => Socket.Listen(backlog));
        Trace.Record(Conn, Side, TraceKind.Listen, 0, 0, note: $"listening on {LocalEndPoint}");
    }

    /// <summary><c>accept()</c>: waits for the next connection and returns its socket.</summary>
    public TracedSocket Accept() => Accepted(Traced(Socket.Accept));

    /// <summary><c>accept()</c> that gives up when <paramref name="cancellationToken"/> fires.</summary>
    public async Task<TracedSocket> AcceptAsync(CancellationToken cancellationToken = default) =>
        Accepted(await TracedAsync(() => Socket.AcceptAsync(cancellationToken).AsTask()).ConfigureAwait(false));

    /// <summary><c>connect()</c>: opens a connection to a listening server.</summary>
    public void Connect(EndPoint remoteEndPoint)
    {
        Traced(() => Socket.Connect(remoteEndPoint));
        Connected();
    }

    /// <summary><c>connect()</c> to a host and port.</summary>
    public void Connect(string host, int port)
    {
        Traced(() => Socket.Connect(host, port));
        Connected();
    }

    /// <summary><c>connect()</c> that gives up when <paramref name="cancellationToken"/> fires.</summary>
    public async Task ConnectAsync(EndPoint remoteEndPoint, CancellationToken cancellationToken = default)
    {
        await TracedAsync(async () => { await Socket.ConnectAsync(remoteEndPoint, cancellationToken).ConfigureAwait(false); return 0; })
            .ConfigureAwait(false);
        Connected();
    }

    /// <summary><c>shutdown()</c>: closes one direction; after <c>Send</c> the peer reads 0 bytes but can still answer.</summary>
    public void Shutdown(SocketShutdown how)
    {
        Traced(() => Socket.Shutdown(how));
        Trace.Record(Conn, Side, TraceKind.Shutdown, 0, 0, note: how.ToString());
    }

    /// <summary><c>close()</c>: releases the socket, as the BCL's <c>Close()</c> does. Safe to call twice; only the first is recorded.</summary>
    public void Close() => CloseRecorded("");

    /// <summary>
    /// <c>close()</c> for one of the course's <see cref="CloseReason"/>s: the reason's name is the trace's
    /// <c>Close</c> note, and <paramref name="detail"/> (what exactly happened, e.g. which limit) is recorded
    /// as an <c>Error</c> event just before, <c>"Reason: detail"</c>. Safe to call twice; only the first counts.
    /// </summary>
    public void Close(CloseReason reason, string? detail = null)
    {
        if (!string.IsNullOrEmpty(detail) && !IsClosed)
        {
            RecordError($"{reason}: {detail}");
        }
        CloseRecorded(reason.ToString());
    }

    /// <summary>
    /// Closes at once with a reset (RST) instead of the orderly FIN, throwing away unsent data:
    /// SO_LINGER on with a 0 s timeout, then <c>close()</c>, recorded like <see cref="Close(CloseReason, string?)"/>.
    /// The peer's next call fails with <c>ConnectionReset</c>. The relay uses it to pass a reset on to the
    /// other side; the broker to cut off a slow subscriber at once.
    /// </summary>
    public void Abort(CloseReason reason, string? detail = null)
    {
        if (IsClosed)
        {
            return;
        }
        try
        {
            Socket.LingerState = new LingerOption(true, 0);
        }
        catch (SocketException)
        {
            // Already reset by the peer: the close below still releases the socket.
        }
        catch (ObjectDisposedException)
        {
            return;
        }
        Close(reason, detail);
    }

    /// <summary>Same as <see cref="Close()"/>.</summary>
    public void Dispose() => Close();

    /// <summary>Records a failure or a deliberate close reason against this connection.</summary>
    public void RecordError(string reason) => Trace.Record(Conn, Side, TraceKind.Error, 0, 0, note: reason);

    /// <inheritdoc/>
    public override string ToString() => $"{Side} conn {Conn} {LocalEndPoint} -> {RemoteEndPoint}";

    private void CloseRecorded(string note)
    {
        // A server's Stop() may close a connection while its loop closes it too: one wins.
        if (Interlocked.Exchange(ref _closed, 1) != 0)
        {
            return;
        }
        // Recorded when called, before the FIN leaves: recorded after, the peer's recv() of 0 bytes
        // could come first in the trace, an effect before its cause.
        Trace.Record(Conn, Side, TraceKind.Close, 0, 0, note: note);
        Socket.Close();
    }

    private TracedSocket Accepted(Socket accepted)
    {
        var connection = new TracedSocket(accepted, Trace, Side,
            Trace.ConnectionId(accepted.LocalEndPoint, accepted.RemoteEndPoint));
        Trace.Record(connection.Conn, Side, TraceKind.Accept, 0, 0, note: $"from {accepted.RemoteEndPoint}");
        return connection;
    }

    private void Connected()
    {
        Conn = Trace.ConnectionId(Socket.LocalEndPoint, Socket.RemoteEndPoint);
        Trace.Record(Conn, Side, TraceKind.Connect, 0, 0, note: $"to {Socket.RemoteEndPoint}");
    }
}
