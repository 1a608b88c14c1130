using System.IO;
using System.Reflection;

namespace SocketsNotebooks.Charts;

/// <summary>
/// The plotly.js that draws every <see cref="PlotlyFigure"/>: its version, where a notebook fetches it,
/// and the file itself, embedded in this assembly so a page can carry it and draw offline.
/// The file comes from the NuGet package Plotly.Blazor (only the file; see SocketsNotebooks.csproj,
/// whose <c>PlotlyJsVersion</c> property names the version once for all three).
/// </summary>
public static class PlotlyJs
{
    private const string ResourceName = "SocketsNotebooks.Charts.plotly.min.js";

    private static readonly Lazy<string> s_source = new(ReadSource);

    /// <summary>The plotly.js version, e.g. <c>3.7.0</c>.</summary>
    public static string Version { get; } = typeof(PlotlyJs).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "PlotlyJsVersion").Value!;

    /// <summary>The official CDN copy of the same plotly.js, which a notebook loads the first time it shows a chart.</summary>
    public static string CdnUrl { get; } = $"https://cdn.plot.ly/plotly-{Version}.min.js";

    /// <summary>The minified plotly.js (about 5 MB of text), read from the assembly on first use; for pages that inline it.</summary>
    public static string Source => s_source.Value;

    private static string ReadSource()
    {
        using Stream stream = typeof(PlotlyJs).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The resource {ResourceName} is missing from {typeof(PlotlyJs).Assembly.GetName().Name}.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
