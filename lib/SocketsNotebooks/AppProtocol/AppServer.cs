using SocketsNotebooks.Selectors;
using SocketsNotebooks.Tracing;

namespace SocketsNotebooks.AppProtocol;

/// <summary>
/// The tutorial's <c>app-server.py</c>: one thread, a <see cref="Selector"/>, and per connection an
/// <see cref="AppServerConnection"/> that reads one request, answers it with the <see cref="SearchApp"/>
/// and closes. The loop itself is notebook 02's <see cref="SelectorServer"/>. Unlike the tutorial, a broken request (bad JSON, a missing key, a 2 GiB
/// <c>content-length</c>, a peer that stalls) closes only that connection, with the reason in the
/// trace and in <see cref="Closed"/>; everyone else keeps being served.
/// </summary>
public sealed class AppServer : SelectorServer
{
    // Select wakes at least this often to check idle connections and Stop().
    private static readonly TimeSpan s_tick = TimeSpan.FromMilliseconds(50);
    // A long-running server (the CLI, a benchmark) must not grow without bound.
    private const int MaxAnatomyRows = 100_000;

    private readonly byte[] _receiveBuffer;
    private readonly long _started;
    private readonly object _gate = new();
    private readonly List<RecvAnatomy> _anatomy = [];
    // The newest Options.MaxClosedRecords closures; older ones fall off the front.
    private readonly Queue<AppConnectionClosed> _closed = new();
    // Counted apart from _closed, which forgets: a benchmark answers far more than it remembers.
    private int _answered;

    private AppServer(string name, Trace trace, AppServerOptions options)
        : base(name, trace, options.Log, options.TimeProvider, maxConnections: options.MaxConnections)
    {
        Options = options;
        App = options.App ?? new SearchApp();
        _receiveBuffer = new byte[options.ReceiveSize];
        _started = Time.GetTimestamp();
        Buffers = new ContentBuffers(options.MaxBufferedBytes);
    }

    /// <summary>The requests' content buffers, shared by every connection under <see cref="AppServerOptions.MaxBufferedBytes"/>.</summary>
    public ContentBuffers Buffers { get; }

    // Milliseconds on the server's clock (Options.TimeProvider), which every deadline is measured on.
    private long NowMs => (long)Time.GetElapsedTime(_started).TotalMilliseconds;

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

    /// <summary>
    /// The connections closed most recently and why, oldest first: at most
    /// <see cref="AppServerOptions.MaxClosedRecords"/> of them, so a server left running does not grow.
    /// </summary>
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

    /// <summary>How many requests were answered completely (since the start or the last <see cref="ClearRecords"/>).</summary>
    public int Answered => Volatile.Read(ref _answered);

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
        ArgumentOutOfRangeException.ThrowIfNegative(options.MaxClosedRecords, nameof(options));
        var server = new AppServer(name, trace, options);
        server.Start(options.EndPoint, options.Backlog);
        return server;
    }

    /// <summary>Starts a server with the given limits and otherwise default settings.</summary>
    public static AppServer Start(Trace trace, MessageLimits limits, string name = "app") =>
        Start(trace, new AppServerOptions { Limits = limits }, name);

    /// <summary>
    /// Forgets the recorded anatomy rows and closures and restarts <see cref="Answered"/> at 0, so a
    /// notebook cell can look at its own requests only (the trace is cleared separately).
    /// </summary>
    public void ClearRecords()
    {
        lock (_gate)
        {
            _anatomy.Clear();
            _closed.Clear();
            Volatile.Write(ref _answered, 0);
        }
    }

    /// <inheritdoc/>
    protected override TimeSpan? SelectTimeout => Limits.IdleTimeout < s_tick ? Limits.IdleTimeout : s_tick;

    /// <summary>One search and one binary request, decoded, answered and logged, before the first accept.</summary>
    protected override void WarmUp()
    {
        var app = new SearchApp();
        Message[] requests =
        [
            Message.Json(new System.Text.Json.Nodes.JsonObject { ["action"] = "search", ["value"] = "🐶" }),
            Message.Binary("warm-up"u8),
        ];
        foreach (var request in requests)
        {
            var decoded = MessageDecoder.DecodeAll(request.ToBytes(), Limits)[0];
            _ = decoded.IsJson ? PythonRepr.Of(decoded.ContentJson()) : decoded.ContentRepr;
            _ = PythonBytes.Repr(app.Respond(decoded).ToBytes());
        }
        try
        {
            // The error path too: a broken header's message comes from System.Text.Json's resources.
            MessageDecoder.DecodeAll(MessageEncoder.Frame("{"), Limits);
        }
        catch (ProtocolException)
        {
            // Expected: that was the point.
        }
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

    // A log line shows the start of a long payload and its full length: a 1 MiB request logged whole,
    // 300,000 times, is 269 MB of log.
    internal const int MaxLoggedChars = 200;

    internal static string Cut(string text, int bytes) =>
        text.Length <= MaxLoggedChars ? text : string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{text[..MaxLoggedChars]}… ({bytes:N0} bytes)");

    internal void LogRequest(AppServerConnection connection, Message request)
    {
        if (Options.Log is not { } log)
        {
            return;
        }
        // libserver.py prints the decoded JSON request, or just the type of a binary one.
        if (request.IsJson && !request.Content.IsEmpty)
        {
            try
            {
                log($"Received request {Cut(PythonRepr.Of(request.ContentJson()), request.Content.Length)} from {connection.Peer}");
                return;
            }
            catch (ProtocolException)
            {
                // Not a JSON object: CreateResponse will refuse it with the reason; log it as raw bytes.
            }
        }
        // The content type comes from the peer: escaped (repr) and cut, so it cannot forge log lines.
        log($"Received {PythonRepr.Str(request.Header.ContentType, MaxLoggedChars)} request from {connection.Peer}");
    }

    /// <summary>
    /// The tutorial's <c>accept_wrapper</c> (the loop already called <c>accept()</c> and
    /// <c>setblocking(False)</c>): the connection starts out watched for reading only.
    /// </summary>
    protected override void AcceptWrapper(TracedSocket socket)
    {
        var connection = new AppServerConnection(this, socket, NowMs);
        if (Logging)
        {
            Log($"Accepted connection from {connection.Peer}");
        }
        Selector.Register(socket, SelectorEvents.Read, connection);
    }

    /// <summary>
    /// The tutorial's <c>service_connection</c>: the connection's <c>ProcessEvents</c> reads or writes.
    /// A broken request closes only this connection with its <see cref="ProtocolError"/>; a socket error
    /// or an exception from the application (e.g. an action added in a notebook) is caught by the loop
    /// and closes only this connection too.
    /// </summary>
    protected override int ServiceConnection(SelectorKey key, SelectorEvents mask)
    {
        var connection = (AppServerConnection)key.Data!;
        CloseReason? close;
        try
        {
            close = connection.ProcessEvents(mask, _receiveBuffer, NowMs);
        }
        catch (ProtocolException e)
        {
            Close(connection, e.Error, e.Message);
            return 1;
        }

        if (close is { } reason)
        {
            Close(connection, reason, reason == CloseReason.Answered ? "" : "closed before sending a request");
        }
        else if (connection.Interest != key.Events)
        {
            // libserver.py's _set_selector_events_mask: write interest only while there is a response to send.
            Selector.Modify(key, connection.Interest);
        }
        return 1;
    }

    /// <inheritdoc/>
    protected override void AfterWakeUp(int reported, int serviced) => CloseLate();

    /// <inheritdoc/>
    protected override void OnClosed(SelectorConnection connection, CloseReason reason, string detail)
    {
        var app = (AppServerConnection)connection;
        app.ReturnBuffers();
        lock (_gate)
        {
            if (reason == CloseReason.Answered)
            {
                _answered++;
            }
            // Keep the newest: the closure a learner just caused is the one they look for.
            _closed.Enqueue(new AppConnectionClosed(app.Socket.Conn, app.Peer, reason, app.Error, detail));
            if (_closed.Count > Options.MaxClosedRecords)
            {
                _closed.Dequeue();
            }
        }
    }

    // The deadlines, checked on every wake-up (Select wakes at least every 50 ms): silence, a header
    // that takes too long, a request that arrives too slowly.
    private void CloseLate()
    {
        long now = NowMs;
        foreach (var key in Selector.Keys)
        {
            if (key.Data is AppServerConnection connection && connection.Late(now, Limits) is { } late)
            {
                Close(connection, late.Error, late.Detail);
            }
        }
    }

    // A broken request or a stalled peer: the reason is ProtocolError, the trace's Close note names the rule.
    private void Close(AppServerConnection connection, ProtocolError error, string detail)
    {
        connection.Error = error;
        Close(connection, error == ProtocolError.ServerBusy ? CloseReason.Overloaded : CloseReason.ProtocolError, $"{error}: {detail}");
    }
}
