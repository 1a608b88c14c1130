using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace SocketsNotebooks.AppProtocol;

/// <summary>
/// Turns a byte stream, cut into pieces anywhere, back into messages. It is the tutorial's
/// <c>read()</c> → <c>process_protoheader</c> → <c>process_jsonheader</c> → <c>process_request</c>
/// without a socket: feed it whatever a <c>recv()</c> returned, and it hands out a message only
/// when every byte of it has arrived. Limits are checked before anything is allocated: a header
/// that claims 2 GiB of content fails at once, having allocated nothing for it.
/// </summary>
/// <remarks>
/// Only <see cref="ProtocolException"/> escapes for bad input; after one, the decoder stays
/// failed (the stream has lost its framing, so nothing after the error can be trusted).
/// </remarks>
public sealed class MessageDecoder
{
    private readonly byte[] _protoHeader = new byte[Message.ProtoHeaderLength];
    private readonly Queue<Message> _ready = new();
    private byte[]? _jsonHeader;
    // The content buffer is made when the first content byte arrives and grows with the bytes that
    // arrive (up to the announced length), so a peer that announces 1 MiB and then sends ten bytes
    // costs a few KiB, not 1 MiB per connection, and one that sends nothing costs nothing.
    private const int InitialContentCapacity = 16 * 1024;
    private byte[]? _content;
    // The usable (and, with ContentBuffers, charged) length of _content; a pooled array may be longer.
    private int _capacity;
    private int _contentLength;
    private int _filled;
    private ProtocolException? _failure;
    private readonly ContentBuffers? _buffers;
    // The pooled buffers of completed messages (the one being filled is _content).
    private readonly List<(byte[] Array, int Length)> _rented = [];

    /// <summary>A decoder with <paramref name="limits"/> (the defaults when null).</summary>
    public MessageDecoder(MessageLimits? limits = null)
    {
        Limits = limits ?? MessageLimits.Default;
    }

    /// <summary>
    /// A decoder whose content buffers come from <paramref name="buffers"/>: a message's content buffer
    /// is taken from the shared pool as its bytes arrive, and grows with them; content bytes that would
    /// take the server's total past its cap are refused with <see cref="ProtocolError.ServerBusy"/>. Call
    /// <see cref="ReturnBuffers"/> when the connection is done; its messages' content is invalid after that.
    /// </summary>
    public MessageDecoder(MessageLimits? limits, ContentBuffers buffers)
        : this(limits)
    {
        _buffers = buffers ?? throw new ArgumentNullException(nameof(buffers));
    }

    /// <summary>Gives every pooled buffer this decoder took back to its <see cref="ContentBuffers"/>.</summary>
    public void ReturnBuffers()
    {
        if (_buffers is null)
        {
            return;
        }
        foreach (var (array, length) in _rented)
        {
            _buffers.Return(array, length);
        }
        _rented.Clear();
        if (_content is not null)
        {
            _buffers.Return(_content, _capacity);
        }
        _content = null;
        _capacity = 0;
    }

    /// <summary>The limits checked before allocating.</summary>
    public MessageLimits Limits { get; }

    /// <summary>The part of the current message the decoder is waiting for.</summary>
    public DecoderState State { get; private set; } = DecoderState.ProtoHeader;

    /// <summary>The current message's header, once its JSON header has arrived.</summary>
    public MessageHeader? Header { get; private set; }

    /// <summary>How long the part being waited for is: 2, the JSON header's length, or the content's.</summary>
    public int PartLength => State switch
    {
        DecoderState.ProtoHeader => Message.ProtoHeaderLength,
        DecoderState.JsonHeader => _jsonHeader!.Length,
        _ => _contentLength,
    };

    /// <summary>How many bytes of the current part have arrived.</summary>
    public int PartReceived => _filled;

    /// <summary>Whether some bytes of a message have arrived but not all of it.</summary>
    public bool IsMidMessage => State != DecoderState.ProtoHeader || _filled > 0;

    /// <summary>Every byte fed so far.</summary>
    public long BytesFed { get; private set; }

    /// <summary>Messages completed so far.</summary>
    public int MessagesDecoded { get; private set; }

    /// <summary>The error that stopped this decoder, if one did.</summary>
    public ProtocolException? Failure => _failure;

    /// <summary>
    /// Consumes bytes from <paramref name="input"/> until one message is complete (true; the rest
    /// of the input, e.g. the start of the next message, is left in <paramref name="input"/>) or
    /// the input is used up (false: need more). A message already completed by <see cref="Feed"/>
    /// is returned first, without consuming input.
    /// </summary>
    public bool TryReadMessage(ref ReadOnlySpan<byte> input, [NotNullWhen(true)] out Message? message)
    {
        // Messages an earlier Feed completed come first, so mixing the two styles keeps the order.
        if (_ready.TryDequeue(out message))
        {
            return true;
        }
        var parts = default(MessageParts);
        return Step(ref input, ref parts, out message);
    }

    /// <summary>
    /// Consumes all of <paramref name="input"/> (one <c>recv()</c>'s worth), keeps the messages it
    /// completes for <see cref="TryReadMessage(out Message)"/>, and tells which part each byte belonged to.
    /// </summary>
    public MessageParts Feed(ReadOnlySpan<byte> input)
    {
        var parts = default(MessageParts);
        while (!input.IsEmpty)
        {
            if (Step(ref input, ref parts, out var message))
            {
                _ready.Enqueue(message);
            }
        }
        return parts;
    }

    /// <summary>
    /// Like <see cref="Feed"/>, but stops at the end of the first message it completes: the bytes after
    /// it are not looked at (<paramref name="consumed"/> says where it stopped). A server that answers one
    /// request per connection uses this, so whatever follows the request cannot change the answer.
    /// </summary>
    public MessageParts FeedOne(ReadOnlySpan<byte> input, out int consumed)
    {
        var parts = default(MessageParts);
        int length = input.Length;
        while (!input.IsEmpty)
        {
            if (Step(ref input, ref parts, out var message))
            {
                _ready.Enqueue(message);
                break;
            }
        }
        consumed = length - input.Length;
        return parts;
    }

    /// <summary>The next message completed by <see cref="Feed"/>; false until a whole one is there.</summary>
    public bool TryReadMessage([NotNullWhen(true)] out Message? message) => _ready.TryDequeue(out message);

    /// <summary>
    /// The peer closed the stream (a 0-byte <c>recv()</c>): throws <see cref="ProtocolError.Truncated"/>
    /// if that cut a message short.
    /// </summary>
    public void Complete()
    {
        ThrowIfFailed();
        if (IsMidMessage)
        {
            Fail(new ProtocolException(ProtocolError.Truncated,
                $"The stream ended in the {State} part of a message, after {_filled} of {PartLength} bytes."));
        }
    }

    /// <summary>Decodes a whole stream; throws <see cref="ProtocolError.Truncated"/> if it ends inside a message.</summary>
    public static IReadOnlyList<Message> DecodeAll(ReadOnlySpan<byte> stream, MessageLimits? limits = null)
    {
        var decoder = new MessageDecoder(limits);
        decoder.Feed(stream);
        decoder.Complete();
        return [.. decoder._ready];
    }

    /// <inheritdoc/>
    public override string ToString() =>
        _failure is not null ? $"failed: {_failure.Reason}" : $"{State}: {_filled} of {PartLength} bytes";

    private bool Step(ref ReadOnlySpan<byte> input, ref MessageParts parts, [NotNullWhen(true)] out Message? message)
    {
        ThrowIfFailed();
        message = null;
        try
        {
            while (!input.IsEmpty)
            {
                switch (State)
                {
                    case DecoderState.ProtoHeader:
                    {
                        int taken = Take(ref input, _protoHeader);
                        parts = parts with { ProtoHeader = parts.ProtoHeader + taken };
                        if (_filled == _protoHeader.Length && OnProtoHeader(out message))
                        {
                            return true;
                        }
                        break;
                    }
                    case DecoderState.JsonHeader:
                    {
                        int taken = Take(ref input, _jsonHeader!);
                        parts = parts with { JsonHeader = parts.JsonHeader + taken };
                        if (_filled == _jsonHeader!.Length && OnJsonHeader(out message))
                        {
                            parts = parts with { Messages = parts.Messages + 1 };
                            return true;
                        }
                        break;
                    }
                    default:
                    {
                        EnsureContentCapacity(input.Length);
                        int taken = Take(ref input, _content.AsSpan(0, _capacity));
                        parts = parts with { Content = parts.Content + taken };
                        if (_filled == _contentLength)
                        {
                            if (_buffers is not null)
                            {
                                // The message's content lives in this array until ReturnBuffers.
                                _rented.Add((_content!, _capacity));
                            }
                            message = Completed(_content.AsMemory(0, _contentLength));
                            parts = parts with { Messages = parts.Messages + 1 };
                            return true;
                        }
                        break;
                    }
                }
            }
            return false;
        }
        catch (ProtocolException e)
        {
            _failure = e;
            throw;
        }
    }

    // Grows the content buffer to hold what is about to be copied (doubling, never past the announced
    // length; once full-size, it is the message's own array). With a server's ContentBuffers, the new
    // buffer is reserved under the cap before it is allocated, while the old one is still held and
    // counted; if the doubled size does not fit, the exact size the arrived bytes need is tried, so a
    // request is refused only when holding the bytes that actually arrived would pass the cap.
    private void EnsureContentCapacity(int incoming)
    {
        int needed = (int)Math.Min(_contentLength, (long)_filled + incoming);
        if (needed <= _capacity)
        {
            return;
        }
        int grown = (int)Math.Min(_contentLength, Math.Max(needed, Math.Max(2L * _capacity, InitialContentCapacity)));
        byte[] array;
        if (_buffers is null)
        {
            array = new byte[grown];
        }
        else if (!_buffers.TryRent(grown, out array))
        {
            grown = needed;
            if (!_buffers.TryRent(grown, out array))
            {
                throw new ProtocolException(ProtocolError.ServerBusy, string.Create(CultureInfo.InvariantCulture,
                    $"{needed:N0} bytes of content have arrived (content-length {_contentLength:N0}); holding them would take the bytes buffered for all connections past MaxBufferedBytes = {_buffers.MaxBufferedBytes:N0} ({_buffers.Buffered:N0} in use); refused before allocating."));
            }
        }
        if (_content is not null)
        {
            _content.AsSpan(0, _filled).CopyTo(array);
            _buffers?.Return(_content, _capacity);
        }
        _content = array;
        _capacity = grown;
    }

    private int Take(ref ReadOnlySpan<byte> input, Span<byte> part)
    {
        int count = Math.Min(part.Length - _filled, input.Length);
        input[..count].CopyTo(part[_filled..]);
        input = input[count..];
        _filled += count;
        BytesFed += count;
        return count;
    }

    // process_protoheader: the length is checked against the limit before the header's buffer exists.
    private bool OnProtoHeader([NotNullWhen(true)] out Message? message)
    {
        message = null;
        int length = BinaryPrimitives.ReadUInt16BigEndian(_protoHeader);
        if (length > Limits.MaxHeaderLength)
        {
            throw MessageHeader.HeaderTooLong(length, Limits);
        }
        _jsonHeader = new byte[length];
        _filled = 0;
        State = DecoderState.JsonHeader;
        // A zero-length header is complete (and invalid) without waiting for another byte.
        return length == 0 && OnJsonHeader(out message);
    }

    // process_jsonheader: content-length is checked against the limit inside Parse; the content's
    // buffer is made only when content bytes arrive (EnsureContentCapacity).
    private bool OnJsonHeader([NotNullWhen(true)] out Message? message)
    {
        message = null;
        Header = MessageHeader.Parse(_jsonHeader, Limits);
        _jsonHeader = null;
        _filled = 0;
        if (Header.ContentLength == 0)
        {
            // Empty content is a whole message already; waiting for a byte that never comes is
            // how a server hangs on it.
            message = Completed(ReadOnlyMemory<byte>.Empty);
            return true;
        }
        _contentLength = Header.ContentLength;
        State = DecoderState.Content;
        return false;
    }

    private Message Completed(ReadOnlyMemory<byte> content)
    {
        var message = new Message(Header!, content);
        Header = null;
        _content = null;
        _capacity = 0;
        _filled = 0;
        State = DecoderState.ProtoHeader;
        MessagesDecoded++;
        return message;
    }

    private void ThrowIfFailed()
    {
        if (_failure is not null)
        {
            throw new ProtocolException(_failure.Error, _failure.Message, _failure);
        }
    }

    [DoesNotReturn]
    private void Fail(ProtocolException e)
    {
        _failure = e;
        throw e;
    }
}
