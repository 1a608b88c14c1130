using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.DotNet.Interactive.Formatting;
using Plotly.NET;

namespace NotebookRunner;

/// <summary>
/// What <c>#r "nuget: Plotly.NET.Interactive"</c> does in the kernel: a text/html formatter for
/// <see cref="GenericChart"/>. The kernel's version loads plotly.js from a CDN through requirejs,
/// which cannot work offline. Ours emits <see cref="GenericChart.toChartHTML"/> (a div and a
/// script calling <c>Plotly.newPlot</c>) and draws at once when plotly.js is already on the page —
/// our pages include the copy Plotly.NET carries, before the first chart, so they need no network —
/// and only elsewhere (the executed .ipynb opened in VS Code or Jupyter) fetches the same plotly.js
/// version from its CDN first.
/// </summary>
public static partial class ChartFormatter
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

    /// <summary>The file name of the bundled plotly.js, e.g. <c>plotly-2.28.0.min.js</c>.</summary>
    public static string PlotlyJsFileName { get; } = PlotlyJsResource()["Plotly.NET.".Length..];

    /// <summary>The chart as a div and the script that draws it into that div (see the type's remarks).</summary>
    public static string ToHtml(GenericChart chart)
    {
        string html = GenericChart.toChartHTML(chart);

        // toChartHTML defines renderPlotly_<id> and calls it at the end of its script.
        return RenderCall().Replace(html, m =>
            $"if (window.Plotly) {{ {m.Groups["render"].Value}(); }} else {{ " +
            $"var plotlyJs = document.createElement('script'); plotlyJs.src = 'https://cdn.plot.ly/{PlotlyJsFileName}'; " +
            $"plotlyJs.onload = {m.Groups["render"].Value}; document.head.appendChild(plotlyJs); }}\n</script>", 1);
    }

    private static string PlotlyJsResource() =>
        typeof(GenericChart).Assembly.GetManifestResourceNames()
            .Single(n => n.StartsWith("Plotly.NET.plotly-", StringComparison.Ordinal) && n.EndsWith(".min.js", StringComparison.Ordinal));

    [GeneratedRegex(@"(?<render>renderPlotly_[0-9a-f]+)\(\);\s*</script>")]
    private static partial Regex RenderCall();

    private static string ReadPlotlyJs()
    {
        Assembly plotly = typeof(GenericChart).Assembly;
        string name = PlotlyJsResource();
        using Stream stream = plotly.GetManifestResourceStream(name)!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
