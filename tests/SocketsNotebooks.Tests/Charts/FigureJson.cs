using System.Text.Json;
using System.Text.Json.Nodes;
using SocketsNotebooks.Charts;

namespace SocketsNotebooks.Tests.Charts;

/// <summary>What the chart tests read from a <see cref="PlotlyFigure"/>: its JSON, and every string in it.</summary>
internal static class FigureJson
{
    /// <summary>The figure as plotly.js receives it: <c>data</c>, <c>layout</c>, <c>config</c>.</summary>
    public static JsonElement Json(PlotlyFigure figure) => JsonDocument.Parse(figure.ToJson()).RootElement;

    /// <summary>Every string value in the figure's data and layout (names, hover texts, titles, labels...).</summary>
    public static string[] Strings(PlotlyFigure figure) => [.. StringsIn(figure.Data), .. StringsIn(figure.Layout)];

    private static IEnumerable<string> StringsIn(JsonNode? node) => node switch
    {
        JsonObject obj => obj.SelectMany(p => StringsIn(p.Value)),
        JsonArray array => array.SelectMany(StringsIn),
        JsonValue value when value.GetValueKind() == JsonValueKind.String => [value.GetValue<string>()],
        _ => [],
    };
}
