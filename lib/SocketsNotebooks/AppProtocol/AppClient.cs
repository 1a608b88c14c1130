using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using SocketsNotebooks.Selectors;
using SocketsNotebooks.Tracing;
using Stopwatch = System.Diagnostics.Stopwatch;

namespace SocketsNotebooks.AppProtocol;

/// <summary>
/// The tutorial's <c>app-client.py</c>: one request per connection, sent and answered over a
/// non-blocking socket driven by a <see cref="Selector"/>. <see cref="SendMany"/> runs many such
/// connections at once on the same loop (the multi-connection client's trick), which is how the
/// tests and the benchmark put hundreds of clients on one thread.
/// </summary>
public static class AppClient
{
    /// <summary>The tutorial's <c>create_request</c>: <c>search</c> becomes JSON, any other action binary <c>action + value</c>.</summary>
    public static Message CreateRequest(string action, string value)
    {
        ArgumentNullException.ThrowIfNull(action);
        ArgumentNullException.ThrowIfNull(value);
        return action == "search" ? JsonRequest(action, value) : Message.Binary(Encoding.UTF8.GetBytes(action + value));
    }

    /// <summary>A JSON request <c>{"action": ..., "value": ...}</c> for any action (e.g. one you added to the server).</summary>
    public static Message JsonRequest(string action, string value) =>
        Message.Json(new JsonObject { ["action"] = action, ["value"] = value });

    /// <summary>Searches the server for <paramref name="value"/>: a JSON <c>search</c> request, answered with a <c>result</c>.</summary>
    public static AppExchange Search(IPEndPoint server, string value, Trace trace, AppClientOptions? options = null) =>
        Send(server, JsonRequest("search", value), trace, options);

    /// <summary>Sends a binary request; the tutorial's server answers with its first 10 bytes.</summary>
    public static AppExchange Binary(IPEndPoint server, byte[] content, Trace trace, AppClientOptions? options = null) =>
        Send(server, Message.Binary(content), trace, options);

    /// <summary>Sends the tutorial's request for <paramref name="action"/> and <paramref name="value"/> (see <see cref="CreateRequest"/>).</summary>
    public static AppExchange Request(IPEndPoint server, string action, string value, Trace trace, AppClientOptions? options = null) =>
        Send(server, CreateRequest(action, value), trace, options);

    /// <summary>Sends one message and waits (bounded) for the response.</summary>
    public static AppExchange Send(IPEndPoint server, Message request, Trace trace, AppClientOptions? options = null) =>
        SendRaw(server, MessageEncoder.Encode(request), trace, options);

    /// <summary>
    /// Sends bytes exactly as given, framed or not: how a notebook or test plays a broken or
    /// stalled client. The exchange tells whether a response came back or how the connection ended.
    /// </summary>
    public static AppExchange SendRaw(IPEndPoint server, byte[] bytes, Trace trace, AppClientOptions? options = null) =>
        SendMany(server, [bytes], trace, options)[0];

    /// <summary>
    /// Opens one connection per request, all at once, and drives them on one selector loop until
    /// each is answered, refused or out of time. Results are in the order of <paramref name="requests"/>.
    /// </summary>
    public static IReadOnlyList<AppExchange> SendMany(IPEndPoint server, IReadOnlyList<byte[]> requests, Trace trace, AppClientOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(requests);
        var results = new AppExchange?[requests.Count];
        int started = 0;
        Drive(server, trace, options ?? new AppClientOptions(), requests.Count,
            () => started < requests.Count ? (started, requests[started++]) : null,
            (i, exchange) => results[i] = exchange, CancellationToken.None);
        return results!;
    }

    /// <summary>
    /// A load generator in the protocol's own terms: keeps <paramref name="connections"/> requests in
    /// flight, each on a fresh connection (one request per connection), starting a new one whenever one
    /// ends, until <paramref name="duration"/> has passed or <paramref name="cancellationToken"/> fires;
    /// then lets the open ones finish. Every finished exchange goes to <paramref name="finished"/>, on the loop's thread.
    /// </summary>
    public static void RunLoad(IPEndPoint server, byte[] request, int connections, TimeSpan duration, Trace trace,
        Action<AppExchange> finished, AppClientOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(finished);
        ArgumentOutOfRangeException.ThrowIfLessThan(connections, 1);
        var clock = Stopwatch.StartNew();
        Drive(server, trace, options ?? new AppClientOptions(), connections,
            () => clock.Elapsed < duration ? (0, request) : null,
            (_, exchange) => finished(exchange), cancellationToken);
    }

    // The event loop shared by SendMany and RunLoad: start connections while fewer than `concurrency`
    // are open and `next` has more, service ready sockets, enforce the time limits.
    private static void Drive(IPEndPoint server, Trace trace, AppClientOptions options, int concurrency,
        Func<(int Index, byte[] Bytes)?> next, Action<int, AppExchange> finished, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(server);
        ArgumentNullException.ThrowIfNull(trace);
        var clock = Stopwatch.StartNew();
        var selector = new Selector();
        var index = new Dictionary<AppClientConnection, int>();
        byte[] receiveBuffer = new byte[options.ReceiveSize];
        bool exhausted = false;

        void Close(AppClientConnection connection, CloseReason reason, ProtocolError? error, string detail, bool registered = true)
        {
            finished(index[connection], Finish(connection, registered ? selector : null, reason, error, detail, clock, options.Log));
            index.Remove(connection);
        }

        void Refill()
        {
            while (!exhausted && selector.Count < concurrency)
            {
                if (cancellationToken.IsCancellationRequested || next() is not { } item)
                {
                    exhausted = true;
                    return;
                }
                // app-client.py's start_connection: non-blocking connect_ex, then wait to be writable.
                var socket = TracedSocket.Tcp(trace, Side.Client, server.AddressFamily);
                socket.Blocking = false;
                options.Log?.Invoke($"Starting connection to {PythonRepr.Address(server)}");
                var connection = new AppClientConnection(socket, server, item.Bytes, options.Limits, options.Log, clock.ElapsedMilliseconds);
                index[connection] = item.Index;
                var error = socket.ConnectEx(server);
                if (error is not (SocketError.Success or SocketError.WouldBlock or SocketError.InProgress or SocketError.AlreadyInProgress))
                {
                    Close(connection, CloseReason.ConnectFailed, null, error.ToString(), registered: false);
                    continue;
                }
                if (error == SocketError.Success)
                {
                    connection.Connected();
                }
                selector.Register(socket, SelectorEvents.Write, connection);
            }
        }

        var tick = TimeSpan.FromMilliseconds(50);
        Refill();
        while (selector.Count > 0)
        {
            foreach (var (key, mask) in selector.Select(tick))
            {
                var connection = (AppClientConnection)key.Data!;
                var (close, error, detail) = Service(connection, mask, receiveBuffer, clock.ElapsedMilliseconds);
                if (close is { } reason)
                {
                    Close(connection, reason, error, detail);
                }
                else if (connection.Interest != key.Events)
                {
                    selector.Modify(key, connection.Interest);
                }
            }
            long now = clock.ElapsedMilliseconds;
            foreach (var key in selector.Keys)
            {
                var connection = (AppClientConnection)key.Data!;
                if (now - connection.StartedMs > options.Timeout.TotalMilliseconds)
                {
                    Close(connection, CloseReason.TimedOut, null,
                        $"the exchange took longer than {options.Timeout.TotalSeconds:0.###} s; waiting for the {connection.Progress}");
                }
                else if (now - connection.LastActivityMs > options.Limits.IdleTimeout.TotalMilliseconds)
                {
                    Close(connection, CloseReason.ProtocolError, ProtocolError.IdleTimeout,
                        $"Nothing moved for {options.Limits.IdleTimeout.TotalSeconds:0.###} s (IdleTimeout) while waiting for the {connection.Progress}.");
                }
            }
            Refill();
        }
    }

    private static (CloseReason? Close, ProtocolError? Error, string Detail) Service(
        AppClientConnection connection, SelectorEvents mask, byte[] receiveBuffer, long nowMs)
    {
        try
        {
            var close = connection.ProcessEvents(mask, receiveBuffer, nowMs);
            return close switch
            {
                CloseReason.PeerClosed => (close, null, "the server closed the connection without answering"),
                CloseReason.ConnectFailed => (close, null, connection.ConnectError.ToString()),
                _ => (close, null, ""),
            };
        }
        catch (ProtocolException e)
        {
            return (CloseReason.ProtocolError, e.Error, e.Message);
        }
        catch (SocketException e) when (e.IsPeerReset())
        {
            return (CloseReason.PeerReset, null, e.SocketErrorCode.ToString());
        }
        catch (SocketException e)
        {
            return (CloseReason.SocketError, null, e.SocketErrorCode.ToString());
        }
    }

    private static AppExchange Finish(AppClientConnection connection, Selector? selector, CloseReason reason, ProtocolError? error,
        string detail, Stopwatch clock, Action<string>? log)
    {
        selector?.Unregister(connection.Socket);
        log?.Invoke($"Closing connection to {connection.Peer}");
        connection.Socket.Close(reason, reason == CloseReason.Answered ? null : error is null ? detail : $"{error}: {detail}");
        return new AppExchange(connection.Socket.Conn, connection.RequestBytes, connection.Response, reason, error, detail,
            connection.Anatomy.ToArray(), Math.Round(Stopwatch.GetElapsedTime(connection.StartedTimestamp).TotalMilliseconds, 3));
    }
}
