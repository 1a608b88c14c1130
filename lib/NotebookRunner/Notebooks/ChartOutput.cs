using Microsoft.DotNet.Interactive.Documents;
using SocketsNotebooks.Charts;

namespace NotebookRunner.Notebooks;

/// <summary>Tells a chart among a cell's outputs: the library's <see cref="PlotlyFigure"/> shows itself as HTML that carries its mark.</summary>
public static class ChartOutput
{
    /// <summary>The mime type charts (and every other HTML output) come in.</summary>
    public const string Html = "text/html";

    /// <summary>The output's HTML, or null when it has none.</summary>
    public static string? HtmlOf(InteractiveDocumentOutputElement output) => output switch
    {
        DisplayElement display => display.Data.TryGetValue(Html, out object? html) ? html as string : null,
        ReturnValueElement value => value.Data.TryGetValue(Html, out object? html) ? html as string : null,
        _ => null,
    };

    /// <summary>Whether <paramref name="output"/> is a chart.</summary>
    public static bool IsChart(InteractiveDocumentOutputElement output) =>
        HtmlOf(output)?.Contains(PlotlyFigure.HtmlMarker, StringComparison.Ordinal) == true;
}
