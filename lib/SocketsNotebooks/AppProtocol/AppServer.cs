using Stopwatch = System.Diagnostics.Stopwatch;
using System.Net.Sockets;
using SocketsNotebooks.Hosting;
using SocketsNotebooks.MultiConn;
using SocketsNotebooks.Tracing;

namespace SocketsNotebooks.AppProtocol;

/// <summary>
/// The tutorial's <c>app-server.py</c>: one thread, a <see cref="Selector"/>, and per connection an
/// <see cref="AppServerConnection"/> that reads one request, answers it with the <see cref="SearchApp"/>
/// and closes. Unlike the tutorial, a broken request (bad JSON, a missing key, a 2 GiB
/// <c>content-length</c>, a peer that stalls) closes only that connection, with the reason in the
/// trace and in <see cref="Closed"/>; everyone else keeps being served.
/// </summary>
public sealed class AppServer : BackgroundServer
{
    // Select wakes at least this often to check idle connections and Stop().
    private static readonly TimeSpan s_tick = TimeSpan.FromMilliseconds(50);
    // A long-running server (the CLI, a benchmark) must not grow without bound.
    private const int MaxAnatomyRows = 100_000;
    private const int MaxClosedRows = 100_000;

    private readonly Selector _selector = new();
    private readonly byte[] _receiveBuffer;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly object _gate = new();
    private readonly List<RecvAnatomy> _anatomy = [];
    private readonly List<AppConnectionClosed> _closed = [];
    private readonly Action<string>? _log;

    private AppServer(string name, Trace trace, AppServerOptions options)
        : base(name, trace)
    {
        Options = options;
        App = options.App ?? new SearchApp();
        _receiveBuffer = new byte[options.ReceiveSize];
        _log = options.Log;
    }

    /// <summary>The settings it runs with.</summary>
    public AppServerOptions Options { get; }

    /// <summary>The limits every connection is held to.</summary>
    public MessageLimits Limits => Options.Limits;

    /// <summary>The application answering requests; add terms or actions while it runs.</summary>
    public SearchApp App { get; }

    /// <summary>For each server <c>recv()</c>: which parts of the request it delivered (the anatomy chart's data).</summary>
    public IReadOnlyList<RecvAnatomy> Anatomy
    {
        get
        {
            lock (_gate)
            {
                return _anatomy.ToArray();
            }
        }
    }

    /// <summary>Every connection closed so far and why, oldest first (the last 100,000 or so).</summary>
    public IReadOnlyList<AppConnectionClosed> Closed
    {
        get
        {
            lock (_gate)
            {
                return _closed.ToArray();
            }
        }
    }

    /// <summary>How many requests were answered completely.</summary>
    public int Answered
    {
        get
        {
            lock (_gate)
            {
                return _closed.Count(c => c.Reason == AppCloseReason.Answered);
            }
        }
    }

    /// <summary>
    /// Starts the server on a thread of its own and returns once it listens (127.0.0.1, a free
    /// port unless <see cref="AppServerOptions.EndPoint"/> says otherwise). A server already
    /// running under <paramref name="name"/> is stopped first.
    /// </summary>
    public static AppServer Start(Trace trace, AppServerOptions? options = null, string name = "app")
    {
        options ??= new AppServerOptions();
        if (options.ReceiveSize <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.ReceiveSize, "ReceiveSize must be positive.");
        }
        var server = new AppServer(name, trace, options);
        server.Start(options.EndPoint, options.Backlog);
        return server;
    }

    /// <summary>Starts a server with the given limits and otherwise default settings.</summary>
    public static AppServer Start(Trace trace, MessageLimits limits, string name = "app") =>
        Start(trace, new AppServerOptions { Limits = limits }, name);

    /// <summary>Forgets the recorded anatomy rows and closures (the trace is cleared separately).</summary>
    public void ClearRecords()
    {
        lock (_gate)
        {
            _anatomy.Clear();
            _closed.Clear();
        }
    }

    /// <inheritdoc/>
    protected override Task RunAsync(CancellationToken stopping)
    {
        // app-server.py: lsock.setblocking(False); sel.register(lsock, selectors.EVENT_READ, data=None)
        Listener.Blocking = false;
        _selector.Register(Listener, SelectorEvents.Read, data: null);
        var tick = Limits.IdleTimeout < s_tick ? Limits.IdleTimeout : s_tick;
        try
        {
            while (!stopping.IsCancellationRequested)
            {
                foreach (var (key, mask) in _selector.Select(tick))
                {
                    if (key.Data is AppServerConnection connection)
                    {
                        Service(key, connection, mask);
                    }
                    else
                    {
                        AcceptWrapper(key.Traced!);
                    }
                }
                CloseIdle();
            }
        }
        finally
        {
            foreach (var key in _selector.Keys)
            {
                if (key.Data is AppServerConnection connection)
                {
                    Remember(connection, AppCloseReason.Stopped, null, "server stopped");
                }
            }
        }
        return Task.CompletedTask;
    }

    internal void RecordAnatomy(RecvAnatomy row)
    {
        lock (_gate)
        {
            if (_anatomy.Count < MaxAnatomyRows)
            {
                _anatomy.Add(row);
            }
        }
    }

    internal byte[] CreateResponse(Message request) => App.Respond(request).ToBytes();

    internal void Log(string line) => _log?.Invoke(line);

    internal void LogRequest(AppServerConnection connection, Message request)
    {
        if (_log is null)
        {
            return;
        }
        // libserver.py prints the decoded JSON request, or just the type of a binary one.
        if (request.IsJson && !request.Content.IsEmpty)
        {
            try
            {
                _log($"Received request {PythonRepr.Of(request.ContentJson())} from {connection.Peer}");
                return;
            }
            catch (ProtocolException)
            {
                // Not a JSON object: CreateResponse will refuse it with the reason; log it as raw bytes.
            }
        }
        _log($"Received {request.Header.ContentType} request from {connection.Peer}");
    }

    // accept_wrapper: one accept per wake-up; the connection starts out watched for reading only.
    private void AcceptWrapper(TracedSocket listener)
    {
        TracedSocket socket;
        try
        {
            socket = Track(listener.Accept());
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.WouldBlock or SocketError.ConnectionAborted)
        {
            // The client gave up between Select and Accept (the trace has it).
            return;
        }
        socket.Blocking = false;
        var connection = new AppServerConnection(this, socket, _clock.ElapsedMilliseconds);
        Log($"Accepted connection from {connection.Peer}");
        _selector.Register(socket, SelectorEvents.Read, connection);
    }

    // Everything that can go wrong with one connection is caught here and closes only that one.
    private void Service(SelectorKey key, AppServerConnection connection, SelectorEvents mask)
    {
        AppCloseReason? close;
        try
        {
            close = connection.ProcessEvents(mask, _receiveBuffer, _clock.ElapsedMilliseconds);
        }
        catch (ProtocolException e)
        {
            Close(connection, AppCloseReason.ProtocolError, e.Error, e.Message);
            return;
        }
        catch (SocketException e)
        {
            var reason = e.SocketErrorCode is SocketError.ConnectionReset or SocketError.ConnectionAborted or SocketError.Shutdown
                ? AppCloseReason.PeerReset
                : AppCloseReason.SocketError;
            Close(connection, reason, null, e.SocketErrorCode.ToString());
            return;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // An action added in a notebook threw: that request fails, the server does not.
            Close(connection, AppCloseReason.AppError, null, $"{e.GetType().Name}: {e.Message}");
            return;
        }

        if (close is { } reason2)
        {
            Close(connection, reason2, null, reason2 == AppCloseReason.Answered ? "" : "closed before sending a request");
        }
        else if (connection.Interest != key.Events)
        {
            // libserver.py's _set_selector_events_mask: write interest only while there is a response to send.
            _selector.Modify(key, connection.Interest);
        }
    }

    private void CloseIdle()
    {
        long now = _clock.ElapsedMilliseconds;
        foreach (var key in _selector.Keys)
        {
            if (key.Data is AppServerConnection connection && now - connection.LastActivityMs > Limits.IdleTimeout.TotalMilliseconds)
            {
                Close(connection, AppCloseReason.ProtocolError, ProtocolError.IdleTimeout,
                    $"Nothing moved for {Limits.IdleTimeout.TotalSeconds:0.###} s (IdleTimeout) while waiting for the {connection.Progress}.");
            }
        }
    }

    private void Close(AppServerConnection connection, AppCloseReason reason, ProtocolError? error, string detail)
    {
        // unregister before close: a closed socket left in the selector would break the next Select.
        Log($"Closing connection to {connection.Peer}{(reason == AppCloseReason.Answered ? "" : $" ({error?.ToString() ?? reason.ToString()}: {detail})")}");
        _selector.Unregister(connection.Socket);
        if (reason != AppCloseReason.Answered)
        {
            connection.Socket.RecordError($"{error?.ToString() ?? reason.ToString()}: {detail}");
        }
        Remember(connection, reason, error, detail);
        CloseConnection(connection.Socket, error?.ToString() ?? reason.ToString());
    }

    private void Remember(AppServerConnection connection, AppCloseReason reason, ProtocolError? error, string detail)
    {
        lock (_gate)
        {
            if (_closed.Count >= MaxClosedRows)
            {
                _closed.RemoveRange(0, MaxClosedRows / 10);
            }
            _closed.Add(new AppConnectionClosed(connection.Socket.Conn, connection.Peer, reason, error, detail));
        }
    }
}
