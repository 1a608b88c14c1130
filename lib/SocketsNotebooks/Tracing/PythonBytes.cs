using System.Text;

namespace SocketsNotebooks.Tracing;

/// <summary>
/// Writes bytes the way Python's <c>repr(bytes)</c> does (<c>b'Hello, world'</c>), so readers
/// of the Python tutorial recognise what a C# cell received.
/// </summary>
public static class PythonBytes
{
    /// <summary>Python's <c>repr()</c> of the bytes; longer input is cut after <paramref name="max"/> bytes and ends in <c>...</c>.</summary>
    public static string Repr(ReadOnlySpan<byte> bytes, int max = int.MaxValue)
    {
        var shown = bytes.Length > max ? bytes[..max] : bytes;
        // Python picks double quotes only when the bytes hold a ' and no ".
        char quote = shown.Contains((byte)'\'') && !shown.Contains((byte)'"') ? '"' : '\'';
        var text = new StringBuilder(shown.Length + 3).Append('b').Append(quote);
        foreach (byte b in shown)
        {
            text.Append(b switch
            {
                (byte)'\\' => "\\\\",
                (byte)'\t' => "\\t",
                (byte)'\n' => "\\n",
                (byte)'\r' => "\\r",
                _ when b == quote => "\\" + quote,
                >= 0x20 and < 0x7f => ((char)b).ToString(),
                _ => $"\\x{b:x2}",
            });
        }
        text.Append(quote);
        if (bytes.Length > max)
        {
            text.Append("...");
        }
        return text.ToString();
    }
}
