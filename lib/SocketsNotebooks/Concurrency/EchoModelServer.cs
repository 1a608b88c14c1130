using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using SocketsNotebooks.Hosting;
using SocketsNotebooks.Tracing;

namespace SocketsNotebooks.Concurrency;

/// <summary>
/// What the echo servers of notebook 06 share: 127.0.0.1 port 0, a background loop, a stop that
/// closes every socket, counts of connections, and tracing only when asked for. Given a
/// <see cref="Trace"/>, every call is recorded like everywhere else in the course; given none, the
/// connections are plain sockets and nothing is recorded per call, so the models can be measured
/// against each other without the trace's cost.
/// </summary>
public abstract class EchoModelServer : BackgroundServer
{
    /// <summary>The backlog: room for the notebook's 1,000 connections even while the loop is busy.</summary>
    public const int Backlog = 1024;

    private readonly ConcurrentDictionary<Socket, byte> _untraced = new();
    private readonly int[] _closed = new int[Enum.GetValues<CloseReason>().Length];
    private long _accepted;
    private int _open;
    private int _peakOpen;
    private IPEndPoint? _endPoint;

    // An untraced server still needs a Trace for the base class (its listener records its Listen and
    // Close there): one that keeps nothing.
    private protected EchoModelServer(string name, Trace? trace, int bufferSize)
        : base(name, trace ?? new Trace { Capacity = 0 })
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bufferSize, 1, nameof(bufferSize));
        IsTraced = trace is not null;
        BufferSize = bufferSize;
        // The base closes the listener and the traced connections; the plain ones are ours to close.
        Stopping.Register(CloseUntraced);
    }

    /// <summary>Which model this server is.</summary>
    public abstract ConcurrencyModel Model { get; }

    /// <summary>Whether every call is recorded in <see cref="BackgroundServer.Trace"/>.</summary>
    public bool IsTraced { get; }

    /// <summary>The buffer each <c>recv()</c> is given.</summary>
    public int BufferSize { get; }

    /// <summary>Connections accepted so far.</summary>
    public long Accepted => Interlocked.Read(ref _accepted);

    /// <summary>Connections accepted and not closed yet.</summary>
    public int OpenConnections => Volatile.Read(ref _open);

    /// <summary>The most connections open at once.</summary>
    public int PeakOpenConnections => Volatile.Read(ref _peakOpen);

    /// <summary>How many connections were closed for <paramref name="reason"/>.</summary>
    public int ClosedBecause(CloseReason reason) => Volatile.Read(ref _closed[(int)reason]);

    /// <inheritdoc/>
    // Not the base's: that one asks the listener for its address, which a stopped server's closed socket refuses.
    public override string ToString() =>
        $"{GetType().Name} '{Name}' on {_endPoint}{(IsRunning ? "" : " (stopped)")}: {Accepted} accepted, {OpenConnections} open{(IsTraced ? ", traced" : "")}";

    /// <summary>Binds and listens on <paramref name="endPoint"/> (127.0.0.1 port 0 if null) and starts the loop.</summary>
    private protected void Start(IPEndPoint? endPoint)
    {
        Start(endPoint ?? new IPEndPoint(IPAddress.Loopback, 0), Backlog);
        _endPoint = EndPoint;
    }

    /// <summary><c>accept()</c>, blocking.</summary>
    private protected ServedConnection Accept() =>
        Opened(IsTraced ? new ServedConnection(Track(Listener.Accept())) : Plain(Listener.Socket.Accept()));

    /// <summary><c>accept()</c>, awaited.</summary>
    private protected async ValueTask<ServedConnection> AcceptAsync(CancellationToken stopping) =>
        Opened(IsTraced
            ? new ServedConnection(Track(await Listener.AcceptAsync(stopping).ConfigureAwait(false)))
            : Plain(await Listener.Socket.AcceptAsync(stopping).ConfigureAwait(false)));

    /// <summary>
    /// The echo of notebook 01 on one connection, blocking: <c>recv()</c>, send it all back, until the
    /// peer's FIN. Whatever happens, it ends with the connection closed and counted; it never throws
    /// (on a thread of its own, an exception would end the process).
    /// </summary>
    private protected void ServeBlocking(ServedConnection connection)
    {
        var reason = CloseReason.PeerClosed;
        string detail = "";
        try
        {
            var buffer = new byte[BufferSize];
            int received;
            while ((received = connection.Receive(buffer)) > 0)
            {
                connection.SendAll(buffer.AsSpan(0, received));
            }
            // FIN: the peer will send no more, and everything it sent went back.
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            (reason, detail) = Classify(e);
        }
        finally
        {
            Close(connection, reason, detail);
        }
    }

    /// <summary>Sorts what ended a connection: stopped, reset, another socket error, or a bug in the handler.</summary>
    private protected (CloseReason Reason, string Detail) Classify(Exception e) => e switch
    {
        _ when Stopping.IsCancellationRequested => (CloseReason.Stopped, "server stopped"),
        SocketException s => (s.IsPeerReset() ? CloseReason.PeerReset : CloseReason.SocketError, s.SocketErrorCode.ToString()),
        _ => (CloseReason.AppError, $"{e.GetType().Name}: {e.Message}"),
    };

    /// <summary>Closes a connection once, with its reason (in the trace, when traced), and counts it.</summary>
    private protected void Close(ServedConnection connection, CloseReason reason, string detail = "")
    {
        if (connection.Traced is { } traced)
        {
            if (traced.IsClosed)
            {
                return;
            }
            CloseConnection(traced, reason, reason == CloseReason.Stopped ? null : detail);
        }
        else
        {
            if (!_untraced.TryRemove(connection.Socket, out _))
            {
                return;
            }
            connection.Socket.Dispose();
        }
        Interlocked.Increment(ref _closed[(int)reason]);
        Interlocked.Decrement(ref _open);
    }

    private ServedConnection Plain(Socket socket)
    {
        _untraced.TryAdd(socket, 0);
        if (Stopping.IsCancellationRequested)
        {
            // Accepted just as Stop() closed the others: it must not outlive the server.
            socket.Dispose();
        }
        return new ServedConnection(socket);
    }

    private ServedConnection Opened(ServedConnection connection)
    {
        Interlocked.Increment(ref _accepted);
        int open = Interlocked.Increment(ref _open);
        int peak;
        while (open > (peak = Volatile.Read(ref _peakOpen)) && Interlocked.CompareExchange(ref _peakOpen, open, peak) != peak)
        {
        }
        return connection;
    }

    private void CloseUntraced()
    {
        foreach (var socket in _untraced.Keys)
        {
            socket.Dispose();
        }
    }
}
