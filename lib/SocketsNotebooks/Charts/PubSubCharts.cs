using System.Globalization;
using System.Text.Json.Nodes;
using SocketsNotebooks.PubSub;
using static SocketsNotebooks.Charts.PlotlyParts;

namespace SocketsNotebooks.Charts;

/// <summary>
/// Charts for notebook 05, drawn from the <see cref="Broker"/>'s per-subscriber samples: messages
/// delivered over time (one line per subscriber; a slow one flattens and is cut off while the
/// others keep climbing), and how full each outgoing queue was against the limit.
/// </summary>
public static class PubSubCharts
{
    // Beyond this many lines a legend is a wall of names; hover still tells which line is which.
    private const int MaxLegendEntries = 12;

    // Up to this many lines of subscribers that keep up are drawn as nested stripes.
    private const int MaxNestedLines = 6;

    private static readonly string[] s_colors =
        ["#636efa", "#00cc96", "#ab63fa", "#19d3f3", "#ffa15a", "#b6e880", "#ff97ff", "#fecb52", "#ff6692"];

    private const string CutOffColor = "#ef553b";

    /// <summary>
    /// Messages delivered to each subscriber over time: x is ms since the first sample shown, y the
    /// published messages handed to its socket so far. A subscriber the broker cut off ends in a red ✕
    /// whose hover says why. <paramref name="names"/> may label connections (e.g. "slow").
    /// </summary>
    public static PlotlyFigure Delivered(IEnumerable<SubscriberStats> subscribers, string title = "Messages delivered to each subscriber",
        IReadOnlyDictionary<int, string>? names = null)
    {
        ArgumentNullException.ThrowIfNull(subscribers);
        var shown = subscribers.ToArray();
        double start = Start(shown);
        var traces = Lines(shown, start, names, s => s.Delivered, "delivered");
        traces.Add(CutOffMarks(shown, start, names, s => s.Delivered, "delivered"));
        return Chart(traces, TimeLayout(title, "messages delivered", End(shown, start)));
    }

    /// <summary>
    /// How many messages waited in each subscriber's outgoing queue over time, with the broker's
    /// limit as a dashed line: a subscriber that keeps up stays near zero; one that stopped reading
    /// climbs to the limit and is cut off there.
    /// </summary>
    public static PlotlyFigure Queues(IEnumerable<SubscriberStats> subscribers, int? limit = null, string title = "Messages waiting in each subscriber's queue",
        IReadOnlyDictionary<int, string>? names = null)
    {
        ArgumentNullException.ThrowIfNull(subscribers);
        var shown = subscribers.ToArray();
        double start = Start(shown);
        var traces = Lines(shown, start, names, s => s.Queued, "queued");
        traces.Add(CutOffMarks(shown, start, names, s => s.Queued, "queued"));
        var layout = TimeLayout(title, "messages queued in the broker", End(shown, start));
        if (limit is { } max)
        {
            layout.Set("shapes", new JsonArray(
                Dyn(("type", "line"), ("xref", "paper"), ("x0", 0), ("x1", 1), ("yref", "y"), ("y0", max), ("y1", max),
                    ("line", Dyn(("color", "#888"), ("width", 1.5), ("dash", "dash"))))));
            layout.Set("annotations", new JsonArray(
                Dyn(("xref", "paper"), ("x", 0), ("xanchor", "left"), ("yref", "y"), ("y", max), ("yanchor", "bottom"),
                    ("text", $"limit: MaxQueuedMessages = {max.ToString("N0", CultureInfo.InvariantCulture)}"), ("showarrow", false), ("font", Dyn(("color", "#666"))))));
        }
        return Chart(traces, layout);
    }

    /// <summary>The legend name of a subscriber: its label if given, then its connection and prefixes, e.g. <c>conn 4: 100*</c>.</summary>
    public static string Name(SubscriberStats subscriber, IReadOnlyDictionary<int, string>? names = null)
    {
        ArgumentNullException.ThrowIfNull(subscriber);
        string prefixes = string.Join(" ", subscriber.Subscriptions.Select(p => p + "*"));
        string label = $"conn {subscriber.Conn}: {prefixes}";
        return names is not null && names.TryGetValue(subscriber.Conn, out string? name) ? $"{name} ({label})" : label;
    }

    private static double Start(SubscriberStats[] shown) =>
        shown.SelectMany(s => s.Samples).Select(p => p.TimeMs).DefaultIfEmpty(0).Min();

    // The last moment any subscriber's sample shows, since the first one.
    private static double End(SubscriberStats[] shown, double start) =>
        shown.SelectMany(s => s.Samples).Select(p => p.TimeMs - start).DefaultIfEmpty(0).Max();

    private static List<JsonObject> Lines(SubscriberStats[] shown, double start, IReadOnlyDictionary<int, string>? names,
        Func<DeliverySample, long> value, string what)
    {
        // Subscribers that keep up often have identical lines, and a line drawn later would hide the
        // ones under it. With few lines, each one drawn is thinner than the one before, so all of them
        // show as nested stripes of their colours.
        int keeping = shown.Count(s => !s.CutOff);
        bool nested = keeping is > 1 and <= MaxNestedLines;
        int drawn = 0;
        return shown.Select((subscriber, i) =>
        {
            string name = Name(subscriber, names);
            double width = subscriber.CutOff ? 3 : nested ? 2 + 4 * (keeping - 1 - drawn++) : 2;
            var line = PlotlyTrace("scatter");
            line.Set("name", name);
            line.Set("mode", "lines");
            line.Set("x", subscriber.Samples.Select(p => Math.Round(p.TimeMs - start, 1)).ToArray());
            line.Set("y", subscriber.Samples.Select(value).ToArray());
            // A sample is taken only when something changed, so the value holds until the next one: a step.
            line.Set("line", Dyn(("shape", "hv"), ("width", width),
                ("color", subscriber.CutOff ? CutOffColor : s_colors[i % s_colors.Length])));
            line.Set("hovertext", subscriber.Samples.Select(p =>
                $"{Escape(name)}<br>{p.TimeMs - start:0.0} ms: {value(p):N0} {what}").ToArray());
            line.Set("hoverinfo", "text");
            line.Set("showlegend", shown.Length <= MaxLegendEntries);
            return line;
        }).ToList();
    }

    private static JsonObject CutOffMarks(SubscriberStats[] shown, double start, IReadOnlyDictionary<int, string>? names,
        Func<DeliverySample, long> value, string what)
    {
        var cut = shown.Where(s => s.CutOff && s.Samples.Count > 0).ToArray();
        var marks = PlotlyTrace("scatter");
        marks.Set("name", "cut off by the broker");
        marks.Set("mode", "markers");
        marks.Set("x", cut.Select(s => Math.Round((s.ClosedMs ?? s.Samples[^1].TimeMs) - start, 1)).ToArray());
        marks.Set("y", cut.Select(s => value(s.Samples[^1])).ToArray());
        marks.Set("marker", Dyn(("color", CutOffColor), ("symbol", "x"), ("size", 14)));
        marks.Set("hovertext", cut.Select(s =>
            $"{Escape(Name(s, names))} cut off at {(s.ClosedMs ?? 0) - start:0.0} ms with {value(s.Samples[^1]):N0} {what}<br>{Escape(s.CloseDetail)}").ToArray());
        marks.Set("hoverinfo", "text");
        marks.Set("showlegend", cut.Length > 0);
        return marks;
    }

    // Counts and times since the first subscription: both axes start at zero. The time axis runs a
    // little past the last sample, so a step at the very end is not drawn on the plot's edge.
    private static JsonObject TimeLayout(string title, string yTitle, double end) =>
        BaseLayout(title, Axis("time since the first subscription (ms)", range: [0, Math.Max(1, end) * 1.04]),
            Axis(yTitle, toZero: true), height: 400);
}
