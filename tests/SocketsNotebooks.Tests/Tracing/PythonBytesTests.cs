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
