using System.Buffers.Binary;
using SocketsNotebooks.Tracing;

namespace SocketsNotebooks.AppProtocol;

public static partial class AppProtocolExercise
{
    // The stream the decoder check feeds: a search request, a small binary message whose content looks
    // like the start of another header, and last a message with empty content (a decoder that waits
    // for one more byte before finishing a message never hands that one out).
    private static readonly Message[] s_stream =
    [
        AppClient.JsonRequest("search", "morpheus"),
        Message.Binary([0x00, 0x67, 0xff, 0x0a]),
        Message.Text("", "text/plain"),
    ];

    /// <summary>The messages <see cref="CheckDecoder"/> feeds, in order, and their bytes on the wire.</summary>
    public static IReadOnlyList<Message> DecoderMessages => s_stream;

    /// <summary>
    /// The reference solution: a fresh three-state decoder, as a function that takes what one <c>recv()</c>
    /// returned and gives back the messages that bytes completed.
    /// </summary>
    public static Func<byte[], IEnumerable<Message>> ReferenceDecoder() => new ThreeStateDecoder().Feed;

    /// <summary>
    /// Feeds the stream of <see cref="DecoderMessages"/> to decoders made by <paramref name="newDecoder"/> (a fresh one per
    /// split): all in one piece, then cut in two at every byte, then in pieces of 1, 2, 3, 5 and 7 bytes. Every split
    /// must give back exactly the messages that were sent. Returns a line starting with ✅ or ❌; a ❌ names the first
    /// split that failed, where the cut fell, and the bytes on either side of it.
    /// </summary>
    public static string CheckDecoder(Func<Func<byte[], IEnumerable<Message>>> newDecoder)
    {
        ArgumentNullException.ThrowIfNull(newDecoder);
        byte[] wire = [.. s_stream.SelectMany(m => m.ToBytes())];
        int splits = 0;
        foreach (var (name, cuts) in Splits(wire.Length))
        {
            splits++;
            string? failure = Judge(newDecoder, wire, cuts, name, whole: cuts.Length == 0);
            if (failure is not null)
            {
                return failure;
            }
        }
        return $"✅ All {splits} splits of the {wire.Length}-byte stream gave back the {s_stream.Length} messages, byte for byte: "
            + "your decoder waits in each state until its part is complete, wherever the cuts fall.";
    }

    // Where the stream is cut: nowhere, at each single byte, and into pieces of a few fixed sizes.
    private static IEnumerable<(string Name, int[] Cuts)> Splits(int length)
    {
        yield return ("all in one piece", []);
        for (int at = 1; at < length; at++)
        {
            yield return ($"cut in two after byte {at}", [at]);
        }
        foreach (int size in new[] { 1, 2, 3, 5, 7 })
        {
            yield return ($"cut into pieces of {size} byte{(size == 1 ? "" : "s")}", [.. Enumerable.Range(1, (length - 1) / size).Select(k => k * size)]);
        }
    }

    private static string? Judge(Func<Func<byte[], IEnumerable<Message>>> newDecoder, byte[] wire, int[] cuts, string name, bool whole)
    {
        var decoded = new List<Message>();
        int[] bounds = [0, .. cuts, wire.Length];
        try
        {
            var feed = newDecoder();
            for (int i = 0; i + 1 < bounds.Length; i++)
            {
                decoded.AddRange(feed(wire[bounds[i]..bounds[i + 1]]) ?? []);
            }
        }
        catch (NotImplementedException)
        {
            return "❌ The decoder is not written yet: fill in the states that still throw NotImplementedException.";
        }
        catch (Exception e)
        {
            return $"❌ Stream {name}: your decoder threw {e.GetType().Name}: {e.Message}{Where(wire, cuts)}";
        }
        if (whole && decoded.Count == 0)
        {
            return $"❌ Fed all {wire.Length} bytes ({s_stream.Length} messages) in one piece, your decoder gave back no message at all. "
                + "Each state must take its part once all of it is there, then move on to the next state.";
        }
        for (int i = 0; i < s_stream.Length; i++)
        {
            if (i >= decoded.Count)
            {
                return $"❌ Stream {name}: {decoded.Count} message(s) came back, {s_stream.Length} were sent; message {i + 1} "
                    + $"({Describe(s_stream[i])}) never came out.{Where(wire, cuts)}";
            }
            if (!decoded[i].Header.Equals(s_stream[i].Header) || !decoded[i].Content.Span.SequenceEqual(s_stream[i].Content.Span))
            {
                return $"❌ Stream {name}: message {i + 1} came back as {Describe(decoded[i])}, not {Describe(s_stream[i])}.{Where(wire, cuts)}";
            }
        }
        if (decoded.Count > s_stream.Length)
        {
            return $"❌ Stream {name}: {decoded.Count} messages came back, only {s_stream.Length} were sent.{Where(wire, cuts)}";
        }
        return null;
    }

    private static string Describe(Message message) =>
        $"{message.Header.ContentType}, {message.Header.ContentLength} bytes of content {PythonBytes.Repr(message.Content.Span, 24)}";

    // The first cut, as the part of which message it fell in and the bytes on either side of it.
    private static string Where(byte[] wire, int[] cuts)
    {
        if (cuts.Length == 0)
        {
            return "";
        }
        int at = cuts[0];
        string part = "at the end of the stream";
        for (int m = 0, start = 0; m < s_stream.Length; start += s_stream[m].WireLength, m++)
        {
            int protoEnd = start + Message.ProtoHeaderLength;
            int headerEnd = protoEnd + BinaryPrimitives.ReadUInt16BigEndian(wire.AsSpan(start));
            int end = start + s_stream[m].WireLength;
            if (at >= end)
            {
                continue;
            }
            part = at == start ? $"between message {m} and message {m + 1}"
                : at < protoEnd ? $"inside the 2-byte proto header of message {m + 1}"
                : at == protoEnd ? $"just after the proto header of message {m + 1}"
                : at < headerEnd ? $"inside the JSON header of message {m + 1}"
                : at == headerEnd ? $"just after the JSON header of message {m + 1}"
                : $"inside the content of message {m + 1}";
            break;
        }
        int from = Math.Max(0, at - 12);
        int to = Math.Min(wire.Length, at + 12);
        return $" The first cut falls after byte {at} of {wire.Length}, {part}: …{PythonBytes.Repr(wire.AsSpan(from, at - from))} | "
            + $"{PythonBytes.Repr(wire.AsSpan(at, to - at))}…";
    }

    // The decoder a learner writes in the notebook, filled in: bytes wait in a buffer until the part
    // the current state needs is all there.
    private sealed class ThreeStateDecoder
    {
        private readonly List<byte> _buffer = [];
        private DecoderState _state = DecoderState.ProtoHeader;
        private int _headerLength;
        private MessageHeader? _header;

        public IEnumerable<Message> Feed(byte[] received)
        {
            _buffer.AddRange(received);
            var messages = new List<Message>();
            while (Step(messages))
            {
            }
            return messages;
        }

        private bool Step(List<Message> messages)
        {
            switch (_state)
            {
                case DecoderState.ProtoHeader:
                    if (_buffer.Count < Message.ProtoHeaderLength)
                    {
                        return false;
                    }
                    _headerLength = _buffer[0] << 8 | _buffer[1];
                    _buffer.RemoveRange(0, Message.ProtoHeaderLength);
                    _state = DecoderState.JsonHeader;
                    return true;
                case DecoderState.JsonHeader:
                    if (_buffer.Count < _headerLength)
                    {
                        return false;
                    }
                    _header = MessageHeader.Parse(_buffer.GetRange(0, _headerLength).ToArray());
                    _buffer.RemoveRange(0, _headerLength);
                    _state = DecoderState.Content;
                    return true;
                default:
                    if (_buffer.Count < _header!.ContentLength)
                    {
                        return false;
                    }
                    messages.Add(new Message(_header, _buffer.GetRange(0, _header.ContentLength).ToArray()));
                    _buffer.RemoveRange(0, _header.ContentLength);
                    _state = DecoderState.ProtoHeader;
                    return true;
            }
        }
    }
}
