using System.Text.Json.Nodes;

namespace SocketsNotebooks.Charts;

/// <summary>
/// The plumbing every chart class shares. A chart is plain plotly.js JSON: traces and a layout built
/// as <see cref="JsonObject"/>s with <see cref="Set"/> and <see cref="Dyn"/>, under the attribute
/// names plotly.js documents; what each chart sets on top of these parts is what makes it look the
/// way it does.
/// </summary>
internal static class PlotlyParts
{
    /// <summary>plotly.js's own ten colours, one per connection or piece, in its order.</summary>
    internal static readonly string[] Colors =
        ["#636efa", "#00cc96", "#ab63fa", "#ffa15a", "#19d3f3", "#ff6692", "#b6e880", "#ff97ff", "#fecb52", "#ef553b"];

    /// <summary>
    /// One chart of <paramref name="traces"/> under <paramref name="layout"/>. The layout sets no
    /// template and no width, so every chart of the course has plotly.js's plain look and fills the
    /// notebook's width.
    /// </summary>
    internal static PlotlyFigure Chart(IEnumerable<JsonObject> traces, JsonObject layout) =>
        new(new JsonArray([.. traces]), layout);

    /// <summary>An empty trace of plotly.js type <paramref name="type"/> (<c>bar</c>, <c>scatter</c>, <c>table</c>).</summary>
    internal static JsonObject PlotlyTrace(string type) => Dyn(("type", type));

    /// <summary>
    /// The layout of a chart with axes: title, the two axes, a legend, hover on the nearest mark,
    /// <paramref name="height"/> px and a top and bottom margin just big enough for the titles.
    /// </summary>
    internal static JsonObject BaseLayout(string title, JsonObject xAxis, JsonObject yAxis, int height = 380) =>
        Dyn(("title", Title(title, left: true)), ("xaxis", xAxis), ("yaxis", yAxis), ("showlegend", true),
            ("hovermode", "closest"), ("height", height), ("margin", Dyn(("t", 60), ("b", 60))));

    /// <summary>The layout of a table chart: a left-aligned title and thin margins around the table.</summary>
    internal static JsonObject TableLayout(string title, int height) =>
        Dyn(("title", Title(title, left: true)), ("height", height), ("margin", Dyn(("t", 50), ("b", 10), ("l", 10), ("r", 10))));

    /// <summary>
    /// An axis titled <paramref name="title"/>. <paramref name="zeroline"/>, <paramref name="automargin"/>
    /// and <paramref name="toZero"/> (<c>rangemode: tozero</c>) are set only when asked for, so a chart
    /// keeps plotly's defaults for the rest.
    /// </summary>
    internal static JsonObject Axis(string title, bool zeroline = false, bool automargin = false, bool toZero = false,
        bool category = false, double[]? range = null, double? dtick = null)
    {
        var axis = Dyn(("title", Title(title)));
        if (zeroline)
        {
            axis.Set("zeroline", true);
        }
        if (automargin)
        {
            axis.Set("automargin", true);
        }
        if (toZero)
        {
            axis.Set("rangemode", "tozero");
        }
        if (category)
        {
            axis.Set("type", "category");
        }
        if (range is not null)
        {
            axis.Set("range", range);
        }
        if (dtick is not null)
        {
            axis.Set("dtick", dtick.Value);
        }
        return axis;
    }

    /// <summary>
    /// A title. <paramref name="left"/> puts a chart's title at the top left: a long centred title runs
    /// under plotly's toolbar at the top right.
    /// </summary>
    internal static JsonObject Title(string text, bool left = false) =>
        left ? Dyn(("text", text), ("x", 0.01), ("xanchor", "left")) : Dyn(("text", text));

    /// <summary>A plain plotly object (marker, line, legend, shape...) from name/value pairs.</summary>
    internal static JsonObject Dyn(params (string Name, object? Value)[] properties)
    {
        var obj = new JsonObject();
        foreach (var (name, value) in properties)
        {
            obj.Set(name, value);
        }
        return obj;
    }

    /// <summary>
    /// Sets (or replaces) one attribute: a <see cref="JsonNode"/> as it is, a number, string or bool
    /// as a JSON value, a list of them (nested lists too) as a JSON array, null as null.
    /// </summary>
    internal static void Set(this JsonObject obj, string name, object? value) => obj[name] = Node(value);

    // Built by hand rather than with JsonSerializer: reflection-based serialization is off in
    // trimmed and AOT-ready hosts (a .NET 10 file-based app, such as the exports, is one), and the
    // few shapes a chart uses need no reflection.
    private static JsonNode? Node(object? value) => value switch
    {
        null => null,
        JsonNode node => node,
        string text => JsonValue.Create(text),
        bool flag => JsonValue.Create(flag),
        int number => JsonValue.Create(number),
        long number => JsonValue.Create(number),
        double number => JsonValue.Create(number),
        float number => JsonValue.Create(number),
        decimal number => JsonValue.Create(number),
        System.Collections.IEnumerable items => new JsonArray([.. items.Cast<object?>().Select(Node)]),
        _ => throw new ArgumentException($"a chart attribute cannot be a {value.GetType().Name}", nameof(value)),
    };

    /// <summary>Hover text is HTML to plotly.js; a preview such as b'&lt;b&gt;' must show as typed.</summary>
    internal static string Escape(string text) => text.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");
}
