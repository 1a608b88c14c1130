using System.IO;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace SocketsNotebooks.Charts;

/// <summary>
/// A plotly.js figure: the <c>data</c> (traces), <c>layout</c> and <c>config</c> objects that
/// <c>Plotly.newPlot</c> takes, as System.Text.Json nodes, exactly as plotly.js documents them.
/// A notebook shows it as the chart (text/html, see <see cref="ToHtml"/>) through the kernel's
/// formatter-source convention (see TypeFormatterSourceAttribute), so the library needs neither a
/// kernel package nor Plotly.NET, whose FSharp.Core cannot load in the final kernel (POLYGLOT.md).
/// </summary>
[TypeFormatterSource(typeof(PlotlyFigureFormatterSource), PreferredMimeTypes = ["text/html"])]
public sealed class PlotlyFigure
{
    /// <summary>
    /// The class (and id prefix) of the div every chart draws into: a host looks for it to know that
    /// an output is a chart, e.g. to count the charts of a page or to put plotly.js before the first one.
    /// </summary>
    public const string HtmlMarker = "sockets-chart";

    /// <summary>A figure of <paramref name="data"/> under <paramref name="layout"/>; without <paramref name="config"/>, <c>{"responsive": true}</c>.</summary>
    public PlotlyFigure(JsonArray data, JsonObject layout, JsonObject? config = null)
    {
        Data = data ?? throw new ArgumentNullException(nameof(data));
        Layout = layout ?? throw new ArgumentNullException(nameof(layout));
        // Plotly.NET's default, which the course's charts always had: the plot follows the notebook's width.
        Config = config ?? new JsonObject { ["responsive"] = true };
    }

    /// <summary>The traces, one JSON object each (<c>type</c>, <c>x</c>, <c>y</c>, <c>marker</c>...).</summary>
    public JsonArray Data { get; }

    /// <summary>The layout: title, axes, legend, size, shapes...</summary>
    public JsonObject Layout { get; }

    /// <summary>The plot's config (plotly.js's third argument), e.g. <c>responsive</c>.</summary>
    public JsonObject Config { get; }

    /// <summary>How many traces the figure has.</summary>
    public int TraceCount => Data.Count;

    /// <summary>
    /// <c>{"data":[...],"layout":{...},"config":{...}}</c>, compact. System.Text.Json's default encoder
    /// escapes <c>&lt;</c>, <c>&gt;</c> and <c>&amp;</c>, so the JSON can sit inside an HTML script element.
    /// </summary>
    public string ToJson()
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStartObject();
            writer.WritePropertyName("data");
            Data.WriteTo(writer);
            writer.WritePropertyName("layout");
            Layout.WriteTo(writer);
            writer.WritePropertyName("config");
            Config.WriteTo(writer);
            writer.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>
    /// The chart as one self-contained HTML fragment: a div (class <see cref="HtmlMarker"/>), the figure
    /// as a JSON script element, and a short script that draws the one into the other.
    /// </summary>
    public string ToHtml()
    {
        string id = $"{HtmlMarker}-{Guid.NewGuid():N}";
        return $"""
            <div class="{HtmlMarker}" id="{id}"></div>
            <script type="application/json" id="{id}-figure">{ToJson()}</script>
            <script type="text/javascript">{DrawScript.Replace("{id}", id, StringComparison.Ordinal).Replace("{url}", PlotlyJs.CdnUrl, StringComparison.Ordinal)}</script>
            """;
    }

    /// <summary>A one-line summary for plain-text outputs, e.g. <c>chart: Bytes per recv() (3 traces)</c>.</summary>
    public override string ToString()
    {
        string traces = TraceCount == 1 ? "1 trace" : $"{TraceCount} traces";
        return Title() is { Length: > 0 } title ? $"chart: {title} ({traces})" : $"chart ({traces})";
    }

    // plotly.js takes a title as {"text": ...} (and, before version 3, as a plain string).
    private string? Title() =>
        (Layout["title"] is JsonObject title ? title["text"] : Layout["title"]) is JsonValue value && value.TryGetValue(out string? text)
            ? text
            : null;

    // Draws the figure from the JSON element beside it. plotly.js is either on the page already (the
    // course's HTML pages inline it, so no network) or fetched from its CDN once per page: VS Code puts
    // every output of a notebook in one webview, so ten charts share one promise on `window`. Under an
    // AMD loader (Jupyter's requirejs) the file goes through require() in a context of its own, as a
    // plotly.js that registers itself with AMD would never set window.Plotly; 3.7.0 sets it either way.
    // A failed load says why in the chart's place and lets the next chart try again.
    private const string DrawScript = """
        (function () {
          var div = document.getElementById('{id}');
          var figure = JSON.parse(document.getElementById('{id}-figure').textContent);
          var url = '{url}';
          function draw(Plotly) { Plotly.newPlot(div, figure.data, figure.layout, figure.config); }
          if (window.Plotly) { draw(window.Plotly); return; }
          window.socketsNotebooksPlotly = window.socketsNotebooksPlotly || new Promise(function (resolve, reject) {
            if (typeof window.requirejs === 'function') {
              var load = window.requirejs.config({ context: 'sockets-notebooks', paths: { plotly: url.slice(0, -3) } });
              load(['plotly'], function (Plotly) { resolve(Plotly || window.Plotly); }, reject);
            } else {
              var script = document.createElement('script');
              script.src = url;
              script.onload = function () { resolve(window.Plotly); };
              script.onerror = reject;
              document.head.appendChild(script);
            }
          });
          window.socketsNotebooksPlotly.then(draw, function () {
            window.socketsNotebooksPlotly = null;
            div.textContent = 'plotly.js could not be loaded from ' + url + '; the chart needs a network connection the first time.';
          });
        })();
        """;
}

internal sealed class PlotlyFigureFormatterSource
{
    public IEnumerable<object> CreateTypeFormatters() =>
    [
        new ConventionFormatter<PlotlyFigure>("text/html", figure => figure.ToHtml()),
        new ConventionFormatter<PlotlyFigure>("text/plain", figure => figure.ToString()),
    ];
}
