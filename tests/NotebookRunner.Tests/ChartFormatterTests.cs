using NotebookRunner;
using Plotly.NET;

namespace NotebookRunner.Tests;

public sealed class ChartFormatterTests
{
    [Fact]
    public void ToHtml_Chart_DivAndScriptThatUsesPagePlotlyOrFetchesSameVersion()
    {
        var bars = new Trace("bar");
        bars.SetProperty("y", new[] { 1, 2 });

        string html = ChartFormatter.ToHtml(GenericChart.ofTraceObject(true, bars));

        Assert.Matches("<div id=\"[0-9a-f-]+\">", html);
        Assert.Contains("Plotly.newPlot(", html, StringComparison.Ordinal);
        Assert.Matches(@"if \(window\.Plotly\) \{ renderPlotly_[0-9a-f]+\(\); \} else", html);
        Assert.Contains("https://cdn.plot.ly/plotly-2.28.0.min.js", html, StringComparison.Ordinal);
        Assert.DoesNotContain("require", html, StringComparison.Ordinal);
    }

    [Fact]
    public void PlotlyJs_BundledResource_IsPlotly228()
    {
        Assert.Equal("plotly-2.28.0.min.js", ChartFormatter.PlotlyJsFileName);
        Assert.Contains("2.28.0", ChartFormatter.PlotlyJs[..300], StringComparison.Ordinal);
        Assert.True(ChartFormatter.PlotlyJs.Length > 1_000_000);
    }
}
