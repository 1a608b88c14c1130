using SocketsNotebooks.Charts;

namespace SocketsNotebooks.Tests.Charts;

public sealed class TerminalDisplayTests
{
    [Fact]
    public void Page_TwoCharts_InOrderWithAnchorsAndPlotlyInlinedOnceAndEscaped()
    {
        string page = TerminalDisplay.Page(["<div>first</div>", "<div>second</div>"], "06-concurrency");

        Assert.StartsWith("<!DOCTYPE html>", page, StringComparison.Ordinal);
        Assert.Contains("<title>06-concurrency charts</title>", page, StringComparison.Ordinal);
        int first = page.IndexOf("<h2 id=\"chart-1\">chart 1</h2>\n<div>first</div>", StringComparison.Ordinal);
        int second = page.IndexOf("<h2 id=\"chart-2\">chart 2</h2>\n<div>second</div>", StringComparison.Ordinal);
        Assert.True(first > 0 && second > first, page[^200..]);
        // plotly.js in the head once, and no "</script" inside it could end its script element early.
        int head = page.IndexOf("</head>", StringComparison.Ordinal);
        Assert.Equal(2, page[..head].Split("<script>").Length);
        Assert.Equal(1, page[..head].Split("</script").Length - 1);
        Assert.EndsWith("</body>\n</html>\n", page, StringComparison.Ordinal);
    }
}
