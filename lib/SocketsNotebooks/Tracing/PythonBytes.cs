using System.Buffers;

namespace SocketsNotebooks.Tracing;

/// <summary>
/// Writes bytes the way Python's <c>repr(bytes)</c> does (<c>b'Hello, world'</c>), so readers
/// of the Python tutorial recognise what a C# cell received.
/// </summary>
public static class PythonBytes
{
    // A repr up to this long is written on the stack; only a longer one rents a buffer.
    private const int StackChars = 512;

    /// <summary>Python's <c>repr()</c> of the bytes; longer input is cut after <paramref name="max"/> bytes and ends in <c>...</c>.</summary>
    public static string Repr(ReadOnlySpan<byte> bytes, int max = int.MaxValue)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(max);
        bool cut = bytes.Length > max;
        var shown = cut ? bytes[..max] : bytes;
        // Python picks double quotes only when the bytes hold a ' and no ".
        char quote = shown.Contains((byte)'\'') && !shown.Contains((byte)'"') ? '"' : '\'';

        // Written into one buffer, then copied once into the string: every trace event with data
        // calls this, and a string per byte made it cost more than the socket call it describes.
        // b, two quotes, "..." and at most 4 chars a byte (\xff); a long input is measured exactly
        // rather than renting four times its length.
        long longest = 6 + 4L * shown.Length;
        char[]? rented = null;
        Span<char> text = longest <= StackChars
            ? stackalloc char[(int)longest]
            : (rented = ArrayPool<char>.Shared.Rent(Measure(shown, quote)));
        try
        {
            int at = 0;
            text[at++] = 'b';
            text[at++] = quote;
            foreach (byte b in shown)
            {
                if (b is >= 0x20 and < 0x7f && b != '\\' && b != quote)
                {
                    text[at++] = (char)b;
                    continue;
                }
                text[at++] = '\\';
                switch (b)
                {
                    case (byte)'\t': text[at++] = 't'; break;
                    case (byte)'\n': text[at++] = 'n'; break;
                    case (byte)'\r': text[at++] = 'r'; break;
                    case (byte)'\\' or (byte)'\'' or (byte)'"': text[at++] = (char)b; break;
                    default:
                        text[at++] = 'x';
                        text[at++] = Hex[b >> 4];
                        text[at++] = Hex[b & 0xf];
                        break;
                }
            }
            text[at++] = quote;
            if (cut)
            {
                "...".CopyTo(text[at..]);
                at += 3;
            }
            return new string(text[..at]);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<char>.Shared.Return(rented);
            }
        }
    }

    private static ReadOnlySpan<char> Hex => "0123456789abcdef";

    // The exact length of the repr of shown, ends and "..." included.
    private static int Measure(ReadOnlySpan<byte> shown, char quote)
    {
        int length = 6;
        foreach (byte b in shown)
        {
            length += b switch
            {
                (byte)'\\' or (byte)'\t' or (byte)'\n' or (byte)'\r' => 2,
                _ when b == quote => 2,
                >= 0x20 and < 0x7f => 1,
                _ => 4,
            };
        }
        return length;
    }
}
