using Plotly.NET;
using Plotly.NET.LayoutObjects;
using PlotlyTrace = Plotly.NET.Trace;

namespace SocketsNotebooks.Charts;

/// <summary>
/// The Plotly.NET plumbing every chart class shares. Charts are built from raw traces and a
/// <see cref="Layout"/> with <c>SetProperty</c>, because Plotly.NET 6's F# chart functions need
/// every optional argument spelled out from C# (DESIGN.md, Build notes); what each chart sets on
/// top of these parts is what makes it look the way it does.
/// </summary>
internal static class PlotlyParts
{
    /// <summary>plotly.js's own ten colours, one per connection or piece, in its order.</summary>
    internal static readonly string[] Colors =
        ["#636efa", "#00cc96", "#ab63fa", "#ffa15a", "#19d3f3", "#ff6692", "#b6e880", "#ff97ff", "#fecb52", "#ef553b"];

    /// <summary>
    /// One chart of <paramref name="traces"/> under <paramref name="layout"/>. A new Plotly.NET chart
    /// starts with a layout of its own (Plotly.NET's grey template and a fixed width of 600 px);
    /// <paramref name="layout"/> replaces it, so every chart of the course has plotly.js's plain look
    /// and fills the notebook's width.
    /// </summary>
    internal static GenericChart Chart(IEnumerable<PlotlyTrace> traces, Layout layout) =>
        GenericChart.setLayout(layout, GenericChart.ofTraceObjects(true, traces));

    /// <summary>
    /// The layout of a chart with axes: title, the two axes, a legend, hover on the nearest mark,
    /// <paramref name="height"/> px and a top and bottom margin just big enough for the titles.
    /// </summary>
    internal static Layout BaseLayout(string title, LinearAxis xAxis, LinearAxis yAxis, int height = 380)
    {
        var layout = new Layout();
        layout.SetProperty("title", Title(title, left: true));
        layout.SetProperty("xaxis", xAxis);
        layout.SetProperty("yaxis", yAxis);
        layout.SetProperty("showlegend", true);
        layout.SetProperty("hovermode", "closest");
        layout.SetProperty("height", height);
        layout.SetProperty("margin", Dyn(("t", 60), ("b", 60)));
        return layout;
    }

    /// <summary>The layout of a table chart: a left-aligned title and thin margins around the table.</summary>
    internal static Layout TableLayout(string title, int height)
    {
        var layout = new Layout();
        layout.SetProperty("title", Title(title, left: true));
        layout.SetProperty("height", height);
        layout.SetProperty("margin", Dyn(("t", 50), ("b", 10), ("l", 10), ("r", 10)));
        return layout;
    }

    /// <summary>
    /// An axis titled <paramref name="title"/>. <paramref name="zeroline"/>, <paramref name="automargin"/>
    /// and <paramref name="toZero"/> (<c>rangemode: tozero</c>) are set only when asked for, so a chart
    /// keeps plotly's defaults for the rest.
    /// </summary>
    internal static LinearAxis Axis(string title, bool zeroline = false, bool automargin = false, bool toZero = false,
        bool category = false, double[]? range = null, double? dtick = null)
    {
        var axis = new LinearAxis();
        axis.SetProperty("title", Title(title));
        if (zeroline)
        {
            axis.SetProperty("zeroline", true);
        }
        if (automargin)
        {
            axis.SetProperty("automargin", true);
        }
        if (toZero)
        {
            axis.SetProperty("rangemode", "tozero");
        }
        if (category)
        {
            axis.SetProperty("type", "category");
        }
        if (range is not null)
        {
            axis.SetProperty("range", range);
        }
        if (dtick is not null)
        {
            axis.SetProperty("dtick", dtick.Value);
        }
        return axis;
    }

    /// <summary>
    /// A title. <paramref name="left"/> puts a chart's title at the top left: a long centred title runs
    /// under plotly's toolbar at the top right.
    /// </summary>
    internal static Title Title(string text, bool left = false)
    {
        var title = new Title();
        title.SetProperty("text", text);
        if (left)
        {
            title.SetProperty("x", 0.01);
            title.SetProperty("xanchor", "left");
        }
        return title;
    }

    /// <summary>A plain plotly object (marker, line, legend, shape...) from name/value pairs.</summary>
    internal static DynamicObj.DynamicObj Dyn(params (string Name, object Value)[] properties)
    {
        var obj = new DynamicObj.DynamicObj();
        foreach (var (name, value) in properties)
        {
            obj.SetProperty(name, value);
        }
        return obj;
    }

    /// <summary>Hover text is HTML to plotly.js; a preview such as b'&lt;b&gt;' must show as typed.</summary>
    internal static string Escape(string text) => text.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");
}
