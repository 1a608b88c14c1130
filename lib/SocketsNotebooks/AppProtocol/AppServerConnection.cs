using SocketsNotebooks.Selectors;
using SocketsNotebooks.Tracing;

namespace SocketsNotebooks.AppProtocol;

/// <summary>
/// One client of the <see cref="AppServer"/>: the tutorial's <c>libserver.Message</c>. The selector
/// key carries it as data; <see cref="ProcessEvents"/> hands a ready socket to <see cref="Read"/>
/// or <see cref="Write"/>, and only those two look at the state. Parsing lives in the
/// <see cref="MessageDecoder"/>, so this class only moves bytes.
/// </summary>
internal sealed class AppServerConnection : SelectorConnection
{
    private readonly AppServer _server;
    private readonly MessageDecoder _decoder;
    private readonly OutBuffer _sendBuffer = new();
    private readonly byte[] _drain = new byte[4096];
    private int _recvs;
    private bool _responseCreated;

    public AppServerConnection(AppServer server, TracedSocket socket, long nowMs)
        : base(socket)
    {
        _server = server;
        _decoder = new MessageDecoder(server.Limits, server.Buffers);
        LastActivityMs = nowMs;
        OpenedMs = nowMs;
    }

    public long OpenedMs { get; }

    /// <summary>The connection is done: its request's content goes back to the server's pool.</summary>
    public void ReturnBuffers() => _decoder.ReturnBuffers();

    /// <summary>The tutorial's <c>addr</c>, <c>('127.0.0.1', 50098)</c>.</summary>
    public string Peer => PythonPeer;

    /// <summary>Which rule or limit the peer broke, once it did.</summary>
    public ProtocolError? Error { get; set; }

    public long LastActivityMs { get; private set; }

    public Message? Request { get; private set; }

    /// <summary>
    /// What the selector should watch for: Read while the request comes in, Write once it is complete,
    /// and Read with it until the peer's FIN, to take in (and drop) whatever it sends after the request.
    /// </summary>
    public SelectorEvents Interest => Request is null ? SelectorEvents.Read
        : _peerFinished ? SelectorEvents.Write : SelectorEvents.Read | SelectorEvents.Write;

    private bool _peerFinished;

    /// <summary>Whether a stall now would cut a message short (for the idle timeout's message).</summary>
    public string Progress => Request is not null ? $"response, {_sendBuffer.Length} bytes unsent" : _decoder.ToString();

    /// <summary>
    /// Which deadline this connection has missed at <paramref name="nowMs"/>, if any: silence for
    /// <see cref="MessageLimits.IdleTimeout"/>, headers unfinished after <see cref="MessageLimits.HeaderTimeout"/>,
    /// or a request slower than <see cref="MessageLimits.MinDataRate"/> after the grace period.
    /// </summary>
    public (ProtocolError Error, string Detail)? Late(long nowMs, MessageLimits limits)
    {
        if (nowMs - LastActivityMs > limits.IdleTimeout.TotalMilliseconds)
        {
            return (ProtocolError.IdleTimeout, $"Nothing moved for {limits.IdleTimeout.TotalSeconds:0.###} s (IdleTimeout) while waiting for the {Progress}.");
        }
        if (Request is not null)
        {
            return null;
        }
        double seconds = (nowMs - OpenedMs) / 1000.0;
        bool headerDone = _decoder.State == DecoderState.Content;
        if (!headerDone && seconds > limits.HeaderTimeout.TotalSeconds)
        {
            return (ProtocolError.HeaderTimeout,
                $"The request's headers were not complete after {limits.HeaderTimeout.TotalSeconds:0.###} s (HeaderTimeout): {_decoder}.");
        }
        if (limits.MinDataRate > 0 && seconds > limits.MinDataRateGrace.TotalSeconds && _decoder.BytesFed / seconds < limits.MinDataRate)
        {
            return (ProtocolError.DataRateTooLow, System.FormattableString.Invariant(
                $"{_decoder.BytesFed} bytes in {seconds:0.#} s is {_decoder.BytesFed / seconds:0.#} bytes/s, below MinDataRate = {limits.MinDataRate} bytes/s (after a grace of {limits.MinDataRateGrace.TotalSeconds:0.#} s); waiting for the {Progress}."));
        }
        return null;
    }

    /// <summary>
    /// The tutorial's <c>process_events</c>. Returns why the connection should close now, or null
    /// to keep it; a broken message throws <see cref="ProtocolException"/>.
    /// </summary>
    public CloseReason? ProcessEvents(SelectorEvents mask, Span<byte> receiveBuffer, long nowMs)
    {
        // Tracing.CloseReason: inside this class a bare CloseReason is the inherited property.
        if ((mask & SelectorEvents.Read) != 0 && !Read(receiveBuffer, nowMs))
        {
            return Tracing.CloseReason.PeerClosed;
        }
        if ((mask & SelectorEvents.Write) != 0 && Write(nowMs))
        {
            return Tracing.CloseReason.Answered;
        }
        return null;
    }

    // The tutorial's read(): recv, then let the decoder work through proto header, JSON header
    // and content; the request is complete only when the decoder says so.
    // Returns false when the peer closed between messages.
    private bool Read(Span<byte> receiveBuffer, long nowMs)
    {
        int received = Socket.Receive(receiveBuffer);
        if (Request is not null)
        {
            // One request per connection: what comes after it is read and dropped, never decoded, so
            // it cannot change the answer however TCP cut it. A FIN now only means "nothing more".
            _peerFinished |= received == 0;
            return true;
        }
        if (received == 0)
        {
            // FIN. Mid-message this is a truncated request (Complete throws); between messages the
            // peer simply left without asking anything.
            _decoder.Complete();
            return false;
        }
        LastActivityMs = nowMs;
        var parts = _decoder.FeedOne(receiveBuffer[..received], out _);
        _server.RecordAnatomy(RecvAnatomy.From(Socket.Conn, Side.Server, ++_recvs, parts, _decoder));
        if (_decoder.TryReadMessage(out var request))
        {
            // One request per connection, as in the tutorial: anything after it is not read.
            Request = request;
            _server.LogRequest(this, request);
        }
        return true;
    }

    // The tutorial's write(): create the response once, then send what the OS takes.
    // Returns true once the whole response is sent (the tutorial closes then).
    private bool Write(long nowMs)
    {
        if (Request is null)
        {
            return false;
        }
        if (!_responseCreated)
        {
            _sendBuffer.Write(_server.CreateResponse(Request));
            _responseCreated = true;
            _server.Options.Log?.Invoke($"Sending {AppServer.Cut(PythonBytes.Repr(_sendBuffer.Pending, AppServer.MaxLoggedChars), _sendBuffer.Length)} to {Peer}");
        }
        int sent = Socket.Send(_sendBuffer.Pending);
        _sendBuffer.Consume(sent);
        if (sent > 0)
        {
            LastActivityMs = nowMs;
        }
        if (_sendBuffer.Length > 0)
        {
            return false;
        }
        // Bytes left unread when a socket closes turn its FIN into a reset, which could cost the peer
        // the answer it has not read yet: take in (and drop) what already waits first.
        for (int i = 0; i < 16 && !_peerFinished && Socket.Socket.Available > 0; i++)
        {
            _peerFinished = Socket.Receive(_drain) == 0;
        }
        return true;
    }
}
