using System.Reflection;
using Microsoft.DotNet.Interactive.Formatting;
using Plotly.NET;

namespace NotebookRunner;

/// <summary>
/// What <c>#r "nuget: Plotly.NET.Interactive"</c> does in the kernel: a text/html formatter for
/// <see cref="GenericChart"/>. The kernel's version loads plotly.js from a CDN through requirejs;
/// ours emits <see cref="GenericChart.toChartHTML"/> (a div and a script calling
/// <c>Plotly.newPlot</c> directly) and the page includes the plotly.js that Plotly.NET carries,
/// so charts draw offline.
/// </summary>
public static class ChartFormatter
{
    private static readonly Lazy<string> s_plotlyJs = new(ReadPlotlyJs);

    /// <summary>The plotly.js bundled in Plotly.NET's assembly (resource <c>Plotly.NET.plotly-2.28.0.min.js</c>).</summary>
    public static string PlotlyJs => s_plotlyJs.Value;

    /// <summary>Registers the chart formatter with the kernel's formatter (after a reset, again).</summary>
    public static void Register()
    {
        Formatter.Register<GenericChart>((chart, writer) => writer.Write(ToHtml(chart)), MimeBundle.Html);
        Formatter.SetPreferredMimeTypesFor(typeof(GenericChart), MimeBundle.Html);
    }

    /// <summary>Whether <paramref name="value"/> is a Plotly.NET chart (of the runner's Plotly.NET).</summary>
    public static bool IsChart(object? value) => value is GenericChart;

    /// <summary>The chart as a div and the script that draws it into that div.</summary>
    public static string ToHtml(GenericChart chart) => GenericChart.toChartHTML(chart);

    private static string ReadPlotlyJs()
    {
        Assembly plotly = typeof(GenericChart).Assembly;
        string name = plotly.GetManifestResourceNames()
            .Single(n => n.StartsWith("Plotly.NET.plotly-", StringComparison.Ordinal) && n.EndsWith(".min.js", StringComparison.Ordinal));
        using Stream stream = plotly.GetManifestResourceStream(name)!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
