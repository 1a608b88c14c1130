using System.Net;
using System.Net.Sockets;
using SocketsNotebooks.Selectors;
using SocketsNotebooks.Tracing;
using Stopwatch = System.Diagnostics.Stopwatch;

namespace SocketsNotebooks.AppProtocol;

/// <summary>
/// One request of the <see cref="AppClient"/>: the tutorial's <c>libclient.Message</c>. It writes
/// its request, then reads until the decoder hands back a whole response.
/// <see cref="ProcessEvents"/> dispatches to <see cref="Read"/> and <see cref="Write"/>, and only
/// those two look at the state.
/// </summary>
internal sealed class AppClientConnection
{
    private readonly OutBuffer _sendBuffer = new();
    private readonly MessageDecoder _decoder;
    private readonly List<RecvAnatomy> _anatomy = [];
    private readonly Action<string>? _log;
    private bool _connected;
    private int _recvs;

    public AppClientConnection(TracedSocket socket, EndPoint server, byte[] request, MessageLimits limits, Action<string>? log, long nowMs)
    {
        Socket = socket;
        Peer = PythonRepr.Address(server);
        RequestBytes = request;
        _sendBuffer.Write(request);
        _decoder = new MessageDecoder(limits);
        _log = log;
        StartedMs = nowMs;
        LastActivityMs = nowMs;
        StartedTimestamp = Stopwatch.GetTimestamp();
    }

    public TracedSocket Socket { get; }

    public string Peer { get; }

    public byte[] RequestBytes { get; }

    public long StartedMs { get; }

    /// <summary>High-resolution start, for the exchange's latency.</summary>
    public long StartedTimestamp { get; }

    public long LastActivityMs { get; private set; }

    public Message? Response { get; private set; }

    /// <summary>What SO_ERROR said when a non-blocking connect failed.</summary>
    public SocketError ConnectError { get; private set; }

    public IReadOnlyList<RecvAnatomy> Anatomy => _anatomy;

    /// <summary>Write until the request is out (connecting counts as writing), then read.</summary>
    public SelectorEvents Interest => !_connected || _sendBuffer.Length > 0 ? SelectorEvents.Write : SelectorEvents.Read;

    public string Progress => !_connected ? "connection" : _sendBuffer.Length > 0 ? "send buffer to drain" : $"response ({_decoder})";

    /// <summary>
    /// The tutorial's <c>process_events</c>: returns why to close now, or null to keep going.
    /// A broken response throws <see cref="ProtocolException"/>.
    /// </summary>
    public CloseReason? ProcessEvents(SelectorEvents mask, Span<byte> receiveBuffer, long nowMs)
    {
        if ((mask & SelectorEvents.Write) != 0 && Write(nowMs) is { } failed)
        {
            return failed;
        }
        if ((mask & SelectorEvents.Read) != 0)
        {
            return Read(receiveBuffer, nowMs);
        }
        return null;
    }

    /// <summary>connect_ex finished at once (it can, on loopback): no need to wait for SO_ERROR.</summary>
    public void Connected()
    {
        _connected = true;
        _log?.Invoke($"Sending {PythonBytes.Repr(_sendBuffer.Pending)} to {Peer}");
    }

    private CloseReason? Write(long nowMs)
    {
        if (!_connected)
        {
            // Writable after connect_ex means the handshake ended; SO_ERROR says how.
            ConnectError = Socket.FinishConnect();
            if (ConnectError != SocketError.Success)
            {
                return CloseReason.ConnectFailed;
            }
            Connected();
        }
        if (_sendBuffer.Length > 0)
        {
            int sent = Socket.Send(_sendBuffer.Pending);
            _sendBuffer.Consume(sent);
            LastActivityMs = nowMs;
        }
        return null;
    }

    private CloseReason? Read(Span<byte> receiveBuffer, long nowMs)
    {
        if (Response is not null || !_connected)
        {
            return null;
        }
        int received = Socket.Receive(receiveBuffer);
        if (received == 0)
        {
            // FIN before a whole response: mid-message it is truncated (Complete throws), else the
            // server hung up without answering (what it does to a request it refuses).
            _decoder.Complete();
            return CloseReason.PeerClosed;
        }
        LastActivityMs = nowMs;
        var parts = _decoder.Feed(receiveBuffer[..received]);
        _anatomy.Add(RecvAnatomy.From(Socket.Conn, Side.Client, ++_recvs, parts, _decoder));
        if (_decoder.TryReadMessage(out var response))
        {
            Response = response;
            _log?.Invoke(response.IsJson
                ? $"Got result: {SafeResult(response)}"
                : $"Got response: {response.ContentRepr}");
            return CloseReason.Answered;
        }
        return null;
    }

    private static string SafeResult(Message response)
    {
        try
        {
            return response.JsonString("result") ?? "None";
        }
        catch (ProtocolException e)
        {
            return $"(not a JSON object: {e.Message})";
        }
    }
}
