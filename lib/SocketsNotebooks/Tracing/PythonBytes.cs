using System.Buffers;

namespace SocketsNotebooks.Tracing;

/// <summary>
/// Writes bytes the way Python's <c>repr(bytes)</c> does (<c>b'Hello, world'</c>), so readers
/// of the Python tutorial recognise what a C# cell received.
/// </summary>
public static class PythonBytes
{
    // Up to this many chars are written on the stack; only a longer repr rents a buffer.
    private const int StackChars = 256;

    /// <summary>Python's <c>repr()</c> of the bytes; longer input is cut after <paramref name="max"/> bytes and ends in <c>...</c>.</summary>
    public static string Repr(ReadOnlySpan<byte> bytes, int max = int.MaxValue)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(max);
        bool cut = bytes.Length > max;
        var shown = cut ? bytes[..max] : bytes;
        // Python picks double quotes only when the bytes hold a ' and no ".
        char quote = shown.Contains((byte)'\'') && !shown.Contains((byte)'"') ? '"' : '\'';

        // Measured first, then written into one buffer: every trace event with data calls this, and
        // a string per byte made it cost more than the socket call it describes.
        int length = 3 + (cut ? 3 : 0);
        foreach (byte b in shown)
        {
            length += Width(b, quote);
        }
        char[]? rented = null;
        Span<char> text = length <= StackChars ? stackalloc char[StackChars] : (rented = ArrayPool<char>.Shared.Rent(length));
        try
        {
            text[0] = 'b';
            text[1] = quote;
            int at = 2;
            foreach (byte b in shown)
            {
                at += Write(b, quote, text[at..]);
            }
            text[at++] = quote;
            if (cut)
            {
                "...".CopyTo(text[at..]);
            }
            return new string(text[..length]);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<char>.Shared.Return(rented);
            }
        }
    }

    private static int Width(byte b, char quote) => b switch
    {
        (byte)'\\' or (byte)'\t' or (byte)'\n' or (byte)'\r' => 2,
        _ when b == quote => 2,
        >= 0x20 and < 0x7f => 1,
        _ => 4,
    };

    private static int Write(byte b, char quote, Span<char> to)
    {
        switch (b)
        {
            case (byte)'\\': return Escape('\\', to);
            case (byte)'\t': return Escape('t', to);
            case (byte)'\n': return Escape('n', to);
            case (byte)'\r': return Escape('r', to);
            case var _ when b == quote: return Escape(quote, to);
            case >= 0x20 and < 0x7f:
                to[0] = (char)b;
                return 1;
            default:
                to[0] = '\\';
                to[1] = 'x';
                to[2] = "0123456789abcdef"[b >> 4];
                to[3] = "0123456789abcdef"[b & 0xf];
                return 4;
        }
    }

    private static int Escape(char c, Span<char> to)
    {
        to[0] = '\\';
        to[1] = c;
        return 2;
    }
}
