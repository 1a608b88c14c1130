using SocketsNotebooks.Tracing;

namespace SocketsNotebooks.Tests.Tracing;

public sealed class PythonReprTests
{
    // Expected strings are what python3 printed for repr() of the same str: every character
    // str.isprintable() rejects is escaped, so a peer's value cannot break or colour a log line.
    [Theory]
    [InlineData("Hello, world", "'Hello, world'")]
    [InlineData("it's", "\"it's\"")]
    [InlineData("x\u000aFORGED\u001b[31m", "'x\\nFORGED\\x1b[31m'")]
    [InlineData("\u009b31m", "'\\x9b31m'")]
    [InlineData("a\u2028b\u2029c\u0085", "'a\\u2028b\\u2029c\\x85'")]
    [InlineData("\u202eevil", "'\\u202eevil'")]
    [InlineData("nbsp\u00a0", "'nbsp\\xa0'")]
    [InlineData("\U0001f430 ring \U0001f48d", "'\U0001f430 ring \U0001f48d'")]
    [InlineData("\ufeffbom", "'\\ufeffbom'")]
    [InlineData("tag\U000e0001", "'tag\\U000e0001'")]
    [InlineData("\u00e9 \u00fc", "'\u00e9 \u00fc'")]
    [InlineData("\u0009\u000d\\", "'\\t\\r\\\\'")]
    public void Str_SameStringAsPython_SameText(string value, string python)
    {
        Assert.Equal(python, PythonRepr.Str(value));
    }

    [Fact]
    public void Str_LongerThanMax_CutWithItsFullLength()
    {
        Assert.Equal("'Hello'… (12 chars)", PythonRepr.Str("Hello, world", 5));
        Assert.Equal("'Hello'", PythonRepr.Str("Hello", 5));
        Assert.Equal("'a'… (3 chars)", PythonRepr.Str("a🐰", 2)); // never half a surrogate pair
    }
}
