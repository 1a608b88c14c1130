using System.IO;
using System.Reflection;
using SocketsNotebooks.AppProtocol;
using SocketsNotebooks.Charts;
using SocketsNotebooks.Tests.Charts;

namespace SocketsNotebooks.Tests.AppProtocol;

public sealed class AppProtocolChartsTests
{
    [Fact]
    public void Anatomy_SixteenBytePieces_StacksPartsPerRecv()
    {
        var rows = RecvAnatomy.Of(GoldenBytes.MorpheusRequest, Enumerable.Repeat(16, 20));

        var chart = AppProtocolCharts.Anatomy(rows, "request in 16-byte pieces");
        string[] texts = FigureJson.Strings(chart);

        Assert.Equal(10, rows.Count);
        Assert.Equal((2, 14, 0), (rows[0].ProtoHeader, rows[0].JsonHeader, rows[0].Content));
        Assert.Equal("stack", (string?)chart.Layout["barmode"]);
        Assert.Contains(texts, t => t.Contains("proto header (2-byte length)", StringComparison.Ordinal));
        Assert.Contains(texts, t => t.Contains("recv #1 on conn 0 (server): 16 bytes = 2 of proto header + 14 of JSON header", StringComparison.Ordinal));
        Assert.True(rows[^1].Complete);
        Assert.All(rows.SkipLast(1), r => Assert.False(r.Complete));
    }

    [Fact]
    public void HexView_GoldenResponse_ColoursEachPart()
    {
        var view = AppProtocolCharts.HexView(Assert.Single(MessageDecoder.DecodeAll(GoldenBytes.MorpheusResponse)));

        Assert.Contains("proto header: 2 bytes", view.Html);
        Assert.Contains("JSON header: 103 bytes", view.Html);
        Assert.Contains("content: 43 bytes", view.Html);
        Assert.Contains("low byte of the JSON header&#39;s length (103, big-endian)", view.Html);
        Assert.Contains("🐰", view.Html);
        Assert.Equal(148, CountOccurrences(view.Html, "\" title=\""));
        Assert.StartsWith("proto header 2 bytes, JSON header 103 bytes, content 43 bytes", view.Text);
    }

    [Fact]
    public void HexView_FollowsTheKernelFormatterConvention()
    {
        // The kernel finds the formatter by the attribute's *name* and calls these members by reflection.
        var attribute = typeof(AppProtocolHtml).GetCustomAttributes(true).Single(a => a.GetType().Name == "TypeFormatterSourceAttribute");
        var sourceType = (Type)attribute.GetType().GetProperty("FormatterSourceType")!.GetValue(attribute)!;
        Assert.Equal(["text/html"], (string[])attribute.GetType().GetProperty("PreferredMimeTypes")!.GetValue(attribute)!);
        var source = Activator.CreateInstance(sourceType)!;
        var formatters = ((IEnumerable<object>)sourceType.GetMethod("CreateTypeFormatters")!.Invoke(source, null)!).ToArray();
        var html = formatters.Single(f => (string)f.GetType().GetProperty("MimeType")!.GetValue(f)! == "text/html");
        var writer = new StringWriter();

        bool formatted = (bool)html.GetType().GetMethod("Format", BindingFlags.Public | BindingFlags.Instance)!
            .Invoke(html, [new AppProtocolHtml("<b>x</b>", "x"), writer])!;

        Assert.True(formatted);
        Assert.Equal("<b>x</b>", writer.ToString());
    }

    private static int CountOccurrences(string text, string part)
    {
        int count = 0;
        for (int at = text.IndexOf(part, StringComparison.Ordinal); at >= 0; at = text.IndexOf(part, at + 1, StringComparison.Ordinal))
        {
            count++;
        }
        return count;
    }
}
