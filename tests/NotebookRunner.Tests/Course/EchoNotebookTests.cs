using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using NotebookRunner.Notebooks;

namespace NotebookRunner.Tests;

/// <summary>
/// What notebook 01 must show a learner, read from the outputs of the course run: enough charts,
/// and a relay chart in which the stream really arrived in more than one <c>recv()</c>.
/// </summary>
[Collection(CourseCollection.Name)]
public sealed partial class EchoNotebookTests(CourseRun course)
{
    private const string Notebook = "01-echo.ipynb";

    [Fact]
    public void EchoNotebook_Run_ShowsAtLeastThreeCharts()
    {
        Assert.True(course.Result(Notebook).Charts >= 3, $"{Notebook} drew {course.Result(Notebook).Charts} chart(s)");
    }

    [Fact]
    public void EchoNotebook_RelayChart_HasMoreThanOneRecvBarWithData()
    {
        var relayCharts = Charts(Notebook)
            .Where(chart => Title(chart).Contains("relay", StringComparison.OrdinalIgnoreCase))
            .Where(chart => chart.Data.Any(trace => (string?)trace!["type"] == "bar"))
            .ToArray();
        Assert.NotEmpty(relayCharts);

        // The first relay chart is the demo of section (c); bars with y > 0 are recv() calls that returned data.
        int recvsWithData = relayCharts[0].Data
            .Where(trace => (string?)trace!["type"] == "bar")
            .SelectMany(trace => trace!["y"]!.AsArray())
            .Count(y => y!.GetValue<double>() > 0);
        Assert.True(recvsWithData > 1, $"'{Title(relayCharts[0])}' has {recvsWithData} recv bar(s) with data");
    }

    private IEnumerable<(JsonArray Data, JsonObject Layout)> Charts(string notebook) =>
        course.Result(notebook).Cells
            .SelectMany(cell => cell.Outputs)
            .Select(ChartOutput.HtmlOf)
            .SelectMany(html => html is null ? Enumerable.Empty<Match>() : ChartFigure().Matches(html))
            .Select(match => JsonNode.Parse(match.Groups["figure"].Value)!)
            .Select(figure => (figure["data"]!.AsArray(), figure["layout"]!.AsObject()));

    private static string Title((JsonArray Data, JsonObject Layout) chart) => (string?)chart.Layout["title"]?["text"] ?? "";

    // The figure a PlotlyFigure's HTML carries, as the kernel sent it: a JSON script element beside the chart's div.
    [GeneratedRegex(@"<script type=""application/json"" id=""sockets-chart-[0-9a-f]+-figure"">(?<figure>.*?)</script>", RegexOptions.Singleline)]
    private static partial Regex ChartFigure();
}
