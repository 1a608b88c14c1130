using System.Buffers;
using System.Buffers.Binary;

namespace SocketsNotebooks.AppProtocol;

/// <summary>
/// Turns a <see cref="Message"/> into bytes, exactly as the tutorial's <c>_create_message</c>
/// does: <c>struct.pack("&gt;H", len(jsonheader_bytes)) + jsonheader_bytes + content_bytes</c>.
/// The same message made by Python and by us is the same bytes.
/// </summary>
public static class MessageEncoder
{
    /// <summary>The whole message as a new array.</summary>
    public static byte[] Encode(Message message)
    {
        var buffer = new ArrayBufferWriter<byte>();
        Write(message, buffer);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Writes the message to <paramref name="writer"/>: proto header, JSON header, content.</summary>
    public static void Write(Message message, IBufferWriter<byte> writer)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(writer);
        byte[] header = message.Header.ToJsonBytes();
        if (header.Length > ushort.MaxValue)
        {
            // Two bytes cannot say more; the tutorial's struct.pack would raise here too.
            throw new ProtocolException(ProtocolError.HeaderTooLong,
                $"The JSON header is {header.Length} bytes; the 2-byte proto header can announce at most {ushort.MaxValue}.");
        }
        // The length is always big-endian ("network order"), whatever the header's byteorder says.
        BinaryPrimitives.WriteUInt16BigEndian(writer.GetSpan(Message.ProtoHeaderLength), (ushort)header.Length);
        writer.Advance(Message.ProtoHeaderLength);
        writer.Write(header);
        writer.Write(message.Content.Span);
    }
}
