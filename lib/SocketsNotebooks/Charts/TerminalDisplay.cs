using System.Collections;
using System.Text;

namespace SocketsNotebooks.Charts;

/// <summary>
/// The notebook's <c>display(...)</c> for a program run in a terminal (the course's exported file-based
/// apps): text is printed, and each chart is added to one offline HTML page next to the program. The
/// kernel has its own <c>display</c>; this one has another name, so a notebook never sees two.
/// </summary>
public static class TerminalDisplay
{
    private static readonly List<string> s_charts = [];
    private static readonly object s_gate = new();

    /// <summary>Prints <paramref name="value"/> to <see cref="Console.Out"/>, or adds it to <see cref="ChartPage"/> if it is a chart.</summary>
    public static void Show(object? value)
    {
        switch (value)
        {
            case PlotlyFigure chart:
                int number;
                lock (s_gate)
                {
                    s_charts.Add(chart.ToHtml());
                    number = s_charts.Count;
                    File.WriteAllText(ChartPage, Page(s_charts, Path.GetFileNameWithoutExtension(ChartPage)));
                }
                Console.WriteLine($"[chart {number} -> {Path.GetFileName(ChartPage)}#chart-{number}]");
                break;
            case string text:
                Console.WriteLine(text);
                break;
            case IEnumerable items:
                // The kernel shows a list as a table; a terminal gets one item per line.
                foreach (object? item in items)
                {
                    Console.WriteLine($"  {item}");
                }
                break;
            default:
                Console.WriteLine(value?.ToString() ?? "<null>");
                break;
        }
    }

    /// <summary>
    /// Where the charts go: next to the program's .cs file (<c>dotnet run</c> sets <c>EntryPointFilePath</c>
    /// for a file-based app), with .html instead of .cs; next to the executable otherwise.
    /// </summary>
    public static string ChartPage =>
        Path.ChangeExtension(AppContext.GetData("EntryPointFilePath") as string ?? Environment.ProcessPath!, ".html");

    /// <summary>
    /// A page with <paramref name="charts"/> (each one's HTML) in order, titled after <paramref name="name"/>; plotly.js
    /// is inlined once in the head, so the page draws offline.
    /// </summary>
    public static string Page(IReadOnlyList<string> charts, string name)
    {
        ArgumentNullException.ThrowIfNull(charts);
        var page = new StringBuilder("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
        page.Append("<title>").Append(name).Append(" charts</title>\n<script>")
            .Append(PlotlyJs.Source.Replace("</script", "<\\/script", StringComparison.Ordinal)).Append("</script>\n</head>\n")
            .Append("<body style=\"font-family: system-ui, sans-serif; max-width: 1000px; margin: auto\">\n")
            .Append("<h1>").Append(name).Append(": charts</h1>\n")
            .Append("<p>In the order the app displayed them; the terminal says [chart N] where each one came.</p>\n");
        for (int i = 0; i < charts.Count; i++)
        {
            page.Append("<h2 id=\"chart-").Append(i + 1).Append("\">chart ").Append(i + 1).Append("</h2>\n").Append(charts[i]).Append('\n');
        }
        return page.Append("</body>\n</html>\n").ToString();
    }
}
