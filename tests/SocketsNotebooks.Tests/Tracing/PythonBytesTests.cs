using CsCheck;
using SocketsNotebooks.Tracing;

namespace SocketsNotebooks.Tests.Tracing;

public sealed class PythonBytesTests
{
    // Expected strings are what python3 printed for repr() of the same bytes.
    [Theory]
    [InlineData(new byte[] { 72, 101, 108, 108, 111, 44, 32, 119, 111, 114, 108, 100 }, "b'Hello, world'")]
    [InlineData(new byte[] { 105, 116, 39, 115 }, "b\"it's\"")]
    [InlineData(new byte[] { 115, 97, 121, 32, 34, 104, 105, 34 }, "b'say \"hi\"'")]
    [InlineData(new byte[] { 98, 111, 116, 104, 32, 39, 32, 97, 110, 100, 32, 34 }, "b'both \\' and \"'")]
    [InlineData(new byte[] { 98, 97, 99, 107, 92, 115, 108, 97, 115, 104 }, "b'back\\\\slash'")]
    [InlineData(new byte[] { 9, 10, 13 }, "b'\\t\\n\\r'")]
    [InlineData(new byte[] { 0, 1, 127, 128, 255 }, "b'\\x00\\x01\\x7f\\x80\\xff'")]
    [InlineData(new byte[] { 195, 169 }, "b'\\xc3\\xa9'")]
    [InlineData(new byte[] { 110, 97, 195, 175, 118, 101, 32, 226, 152, 149 }, "b'na\\xc3\\xafve \\xe2\\x98\\x95'")]
    [InlineData(new byte[0], "b''")]
    public void Repr_SameBytesAsPython_SameText(byte[] bytes, string python)
    {
        Assert.Equal(python, PythonBytes.Repr(bytes));
    }

    [Fact]
    public void Repr_LongerThanMax_CutAndEndsInEllipsis()
    {
        Assert.Equal("b'Hello'...", PythonBytes.Repr("Hello, world"u8, max: 5));
        Assert.Equal("b'Hello'", PythonBytes.Repr("Hello"u8, max: 5));
    }

    [Fact]
    public void Repr_AnyBytes_PrintableAsciiThatReadsBackToTheSameBytes()
    {
        Gen.Byte.Array[0, 64].Sample(bytes =>
        {
            string repr = PythonBytes.Repr(bytes);
            Assert.All(repr, c => Assert.InRange(c, ' ', '~'));
            Assert.Equal(bytes, ReadPythonBytesLiteral(repr));
        }, iter: 2000);
    }

    [Fact]
    public void Repr_QuoteBytes_PicksQuotesLikePython()
    {
        // Python: double quotes only when there is a ' and no ".
        Gen.Select(Gen.Byte.Array[0, 8], Gen.Bool, Gen.Bool).Sample((rest, single, dbl) =>
        {
            var bytes = rest.Where(b => b != '\'' && b != '"').Concat(single ? "'"u8.ToArray() : []).Concat(dbl ? "\""u8.ToArray() : []).ToArray();
            string repr = PythonBytes.Repr(bytes);
            Assert.Equal(single && !dbl ? '"' : '\'', repr[1]);
        }, iter: 300);
    }

    [Fact]
    public void Repr_AnyBytesAnyMax_SameAsAStringPerByteReference()
    {
        // Mostly the bytes that need care (quotes, escapes, the printable edges), so every branch is hit
        // often; up to 700 bytes, so both the stack buffer and a rented one are used.
        byte[] tricky = [(byte)'\'', (byte)'"', (byte)'\\', 9, 10, 13, 0, 0x1f, 0x20, 0x7e, 0x7f, 0x80, 0xff, (byte)'a'];
        var gen = Gen.Frequency((1, Gen.Byte), (1, Gen.Int[0, tricky.Length - 1].Select(i => tricky[i])));
        var max = Gen.Frequency((4, Gen.Int[0, 800]), (1, Gen.Const(int.MaxValue)));
        Gen.Select(gen.Array[0, 700], max).Sample((bytes, cut) =>
            Assert.Equal(ReferenceRepr(bytes, cut), PythonBytes.Repr(bytes, cut)), iter: 3000);
    }

    [Fact]
    public void Repr_NegativeMax_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => PythonBytes.Repr("abc"u8, -1));
    }

    // The first version of PythonBytes.Repr, kept as the obvious reading of Python's rules.
    private static string ReferenceRepr(byte[] bytes, int max)
    {
        var shown = bytes.Length > max ? bytes[..max] : bytes;
        char quote = shown.Contains((byte)'\'') && !shown.Contains((byte)'"') ? '"' : '\'';
        string body = string.Concat(shown.Select(b => b switch
        {
            (byte)'\\' => "\\\\",
            (byte)'\t' => "\\t",
            (byte)'\n' => "\\n",
            (byte)'\r' => "\\r",
            _ when b == quote => "\\" + quote,
            >= 0x20 and < 0x7f => ((char)b).ToString(),
            _ => $"\\x{b:x2}",
        }));
        return $"b{quote}{body}{quote}{(bytes.Length > max ? "..." : "")}";
    }

    // A reader for the literal, written from Python's rules for bytes literals (not from the code under test).
    private static byte[] ReadPythonBytesLiteral(string literal)
    {
        Assert.StartsWith("b", literal);
        char quote = literal[1];
        Assert.True(quote is '\'' or '"');
        Assert.Equal(quote, literal[^1]);
        var body = literal[2..^1];
        var bytes = new List<byte>();
        for (int i = 0; i < body.Length; i++)
        {
            char c = body[i];
            Assert.NotEqual(quote, c);
            if (c != '\\')
            {
                bytes.Add((byte)c);
                continue;
            }
            char e = body[++i];
            switch (e)
            {
                case 'x':
                    bytes.Add(Convert.ToByte(body.Substring(i + 1, 2), 16));
                    i += 2;
                    break;
                case 't': bytes.Add(9); break;
                case 'n': bytes.Add(10); break;
                case 'r': bytes.Add(13); break;
                case '\\': bytes.Add((byte)'\\'); break;
                case '\'': bytes.Add((byte)'\''); break;
                case '"': bytes.Add((byte)'"'); break;
                default: throw new FormatException($"unknown escape \\{e} in {literal}");
            }
        }
        return [.. bytes];
    }
}
