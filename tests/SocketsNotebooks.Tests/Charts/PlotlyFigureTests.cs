using System.IO;
using System.Reflection;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using SocketsNotebooks.Charts;

namespace SocketsNotebooks.Tests.Charts;

public sealed partial class PlotlyFigureTests
{
    private static PlotlyFigure Sample(string title = "Bytes per recv()") => new(
        new JsonArray(
            new JsonObject { ["type"] = "bar", ["x"] = new JsonArray(1, 2, 3), ["y"] = new JsonArray(5, 5, 2), ["hovertext"] = new JsonArray("b'<b>'", "a & b", "c") },
            new JsonObject { ["type"] = "scatter", ["mode"] = "lines", ["y"] = new JsonArray(1.5, null, 2.25) },
            new JsonObject { ["type"] = "bar", ["name"] = "🐰 conn 3" }),
        new JsonObject { ["title"] = new JsonObject { ["text"] = title }, ["height"] = 380 });

    // The pieces of ToHtml's fragment, as a page sees them.
    private static (string DivId, string DivClass, string JsonId, string Json, string Script) Parts(string html)
    {
        var div = Assert.Single(Div().Matches(html));
        var json = Assert.Single(JsonElement().Matches(html));
        var script = Assert.Single(Script().Matches(html));
        return (div.Groups["id"].Value, div.Groups["class"].Value, json.Groups["id"].Value, json.Groups["json"].Value, script.Groups["js"].Value);
    }

    [Fact]
    public void ToJson_Figure_RoundTripsDataLayoutAndConfig()
    {
        var figure = Sample();

        var parsed = JsonNode.Parse(figure.ToJson())!.AsObject();

        Assert.Equal(["data", "layout", "config"], parsed.Select(p => p.Key));
        Assert.True(JsonNode.DeepEquals(figure.Data, parsed["data"]));
        Assert.True(JsonNode.DeepEquals(figure.Layout, parsed["layout"]));
        Assert.True(JsonNode.DeepEquals(figure.Config, parsed["config"]));
    }

    [Fact]
    public void ToJson_HtmlInStrings_NoRawAngleBracketsOrAmpersands()
    {
        string json = Sample("</script><b>x & y</b>").ToJson();

        Assert.DoesNotContain("<", json, StringComparison.Ordinal);
        Assert.DoesNotContain(">", json, StringComparison.Ordinal);
        Assert.DoesNotContain("&", json, StringComparison.Ordinal);
        Assert.Equal("</script><b>x & y</b>", (string?)JsonNode.Parse(json)!["layout"]!["title"]!["text"]);
    }

    [Fact]
    public void Constructor_NoConfig_ResponsiveAsPlotlyNetHad()
    {
        var figure = new PlotlyFigure([], []);

        Assert.True(JsonNode.DeepEquals(new JsonObject { ["responsive"] = true }, figure.Config));
        Assert.Equal(0, figure.TraceCount);
    }

    [Fact]
    public void ToHtml_Figure_OneDivAndOneJsonElementWithMatchingIds()
    {
        var figure = Sample();

        var (divId, divClass, jsonId, json, script) = Parts(figure.ToHtml());

        Assert.Equal(PlotlyFigure.HtmlMarker, divClass);
        Assert.Matches("^sockets-chart-[0-9a-f]{32}$", divId);
        Assert.Equal(divId + "-figure", jsonId);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(figure.ToJson()), JsonNode.Parse(json)));
        Assert.DoesNotContain("</script", json, StringComparison.OrdinalIgnoreCase);
        Assert.Contains($"document.getElementById('{divId}')", script, StringComparison.Ordinal);
        Assert.Contains($"document.getElementById('{jsonId}')", script, StringComparison.Ordinal);
    }

    [Fact]
    public void ToHtml_TitleWithScriptEndTag_CannotBreakOutOfTheJsonElement()
    {
        var figure = Sample("</script><b>boo</b><script>alert(1)</script>");

        string html = figure.ToHtml();
        var (_, _, _, json, _) = Parts(html);

        // Only the fragment's own two script elements end; the title stays text inside the JSON.
        Assert.Equal(2, Regex.Matches(html, "</script", RegexOptions.IgnoreCase).Count);
        Assert.DoesNotContain("<b>", html, StringComparison.Ordinal);
        Assert.Equal("</script><b>boo</b><script>alert(1)</script>", (string?)JsonNode.Parse(json)!["layout"]!["title"]!["text"]);
    }

    [Fact]
    public void ToHtml_TwoCalls_TwoDifferentIds()
    {
        var figure = Sample();

        Assert.NotEqual(Parts(figure.ToHtml()).DivId, Parts(figure.ToHtml()).DivId);
    }

    [Fact]
    public void ToHtml_Script_DrawsWithPagePlotlyElseLoadsThePinnedCdnCopyOnce()
    {
        var (_, _, _, _, script) = Parts(Sample().ToHtml());

        Assert.Contains("if (window.Plotly) { draw(window.Plotly); return; }", script, StringComparison.Ordinal);
        Assert.Contains("Plotly.newPlot(div, figure.data, figure.layout, figure.config)", script, StringComparison.Ordinal);
        Assert.Contains($"var url = '{PlotlyJs.CdnUrl}';", script, StringComparison.Ordinal);
        Assert.Single(Regex.Matches(script, "window.socketsNotebooksPlotly = window.socketsNotebooksPlotly \\|\\| new Promise"));
        Assert.Contains("typeof window.requirejs === 'function'", script, StringComparison.Ordinal);
        Assert.Contains("the chart needs a network connection the first time", script, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Bytes per recv()", "chart: Bytes per recv() (3 traces)")]
    [InlineData("", "chart (3 traces)")]
    public void ToString_Figure_TitleAndTraceCount(string title, string expected)
    {
        Assert.Equal(expected, Sample(title).ToString());
    }

    [Fact]
    public void ToString_OneTraceNoTitle_Singular()
    {
        Assert.Equal("chart (1 trace)", new PlotlyFigure([new JsonObject { ["type"] = "bar" }], []).ToString());
    }

    [Fact]
    public void FormatterSource_AsTheKernelFindsIt_HtmlIsToHtmlAndPlainIsToString()
    {
        // The kernel finds the formatter by the attribute's *name* and calls these members by reflection.
        var figure = Sample();
        var attribute = typeof(PlotlyFigure).GetCustomAttributes(true).Single(a => a.GetType().Name == "TypeFormatterSourceAttribute");
        var sourceType = (Type)attribute.GetType().GetProperty("FormatterSourceType")!.GetValue(attribute)!;
        Assert.Equal(["text/html"], (string[])attribute.GetType().GetProperty("PreferredMimeTypes")!.GetValue(attribute)!);
        var source = Activator.CreateInstance(sourceType)!;
        var formatters = ((IEnumerable<object>)sourceType.GetMethod("CreateTypeFormatters")!.Invoke(source, null)!).ToArray();

        string Format(string mimeType)
        {
            var formatter = formatters.Single(f => (string)f.GetType().GetProperty("MimeType")!.GetValue(f)! == mimeType);
            Assert.Equal(typeof(PlotlyFigure), formatter.GetType().GetProperty("Type")!.GetValue(formatter));
            var writer = new StringWriter();
            Assert.True((bool)formatter.GetType().GetMethod("Format", BindingFlags.Public | BindingFlags.Instance)!.Invoke(formatter, [figure, writer])!);
            return writer.ToString();
        }

        // Each ToHtml has its own ids; apart from them, the two are the same fragment.
        Assert.Equal(ChartId().Replace(figure.ToHtml(), "ID"), ChartId().Replace(Format("text/html"), "ID"));
        Assert.Equal(figure.ToString(), Format("text/plain"));
        Assert.Equal(2, formatters.Length);
    }

    [Fact]
    public void LibraryAssembly_References_NoFSharpCorePlotlyNetOrDynamicObj()
    {
        string[] referenced = [.. typeof(PlotlyFigure).Assembly.GetReferencedAssemblies().Select(a => a.Name!)];

        Assert.DoesNotContain("FSharp.Core", referenced);
        Assert.DoesNotContain("Plotly.NET", referenced);
        Assert.DoesNotContain("DynamicObj", referenced);
        Assert.DoesNotContain(referenced, name => name.StartsWith("Plotly", StringComparison.Ordinal) || name.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal));
    }

    [GeneratedRegex("""<div class="(?<class>[^"]*)" id="(?<id>[^"]*)"></div>""")]
    private static partial Regex Div();

    [GeneratedRegex("""<script type="application/json" id="(?<id>[^"]*)">(?<json>.*?)</script>""", RegexOptions.Singleline)]
    private static partial Regex JsonElement();

    [GeneratedRegex("""<script type="text/javascript">(?<js>\(function \(\) \{.*?\}\)\(\);)</script>""", RegexOptions.Singleline)]
    private static partial Regex Script();

    [GeneratedRegex("sockets-chart-[0-9a-f]{32}")]
    private static partial Regex ChartId();
}
