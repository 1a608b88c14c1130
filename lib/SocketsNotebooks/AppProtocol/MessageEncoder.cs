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

    /// <summary>
    /// Frames any JSON header text and content, valid or not: the 2-byte length, the header as
    /// UTF-8, the content. How a notebook or test builds a message a correct encoder never would
    /// (a header that lies about its length, lacks a key, or is not JSON).
    /// </summary>
    public static byte[] Frame(string jsonHeader, byte[]? content = null)
    {
        ArgumentNullException.ThrowIfNull(jsonHeader);
        byte[] header = System.Text.Encoding.UTF8.GetBytes(jsonHeader);
        if (header.Length > ushort.MaxValue)
        {
            throw new ArgumentException($"A header of {header.Length} bytes does not fit the 2-byte length.", nameof(jsonHeader));
        }
        byte[] frame = new byte[Message.ProtoHeaderLength + header.Length + (content?.Length ?? 0)];
        BinaryPrimitives.WriteUInt16BigEndian(frame, (ushort)header.Length);
        header.CopyTo(frame, Message.ProtoHeaderLength);
        content?.CopyTo(frame, Message.ProtoHeaderLength + header.Length);
        return frame;
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
