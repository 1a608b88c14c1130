using System.Globalization;
using Plotly.NET;
using SocketsNotebooks.PubSub;
using static SocketsNotebooks.Charts.PlotlyParts;
using PlotlyTrace = Plotly.NET.Trace;

namespace SocketsNotebooks.Charts;

/// <summary>
/// Charts for section 5, drawn from the <see cref="Broker"/>'s per-subscriber samples: messages
/// delivered over time (one line per subscriber; a slow one flattens and is cut off while the
/// others keep climbing), and how full each outgoing queue was against the limit.
/// </summary>
public static class PubSubCharts
{
    // Beyond this many lines a legend is a wall of names; hover still tells which line is which.
    private const int MaxLegendEntries = 12;

    private static readonly string[] s_colors =
        ["#636efa", "#00cc96", "#ab63fa", "#19d3f3", "#ffa15a", "#b6e880", "#ff97ff", "#fecb52", "#ff6692"];

    private const string CutOffColor = "#ef553b";

    /// <summary>
    /// Messages delivered to each subscriber over time: x is ms since the first sample shown, y the
    /// published messages handed to its socket so far. A subscriber the broker cut off ends in a red ✕
    /// whose hover says why. <paramref name="names"/> may label connections (e.g. "slow").
    /// </summary>
    public static GenericChart Delivered(IEnumerable<SubscriberStats> subscribers, string title = "Messages delivered to each subscriber",
        IReadOnlyDictionary<int, string>? names = null)
    {
        ArgumentNullException.ThrowIfNull(subscribers);
        var shown = subscribers.ToArray();
        double start = Start(shown);
        var traces = Lines(shown, start, names, s => s.Delivered, "delivered");
        traces.Add(CutOffMarks(shown, start, names, s => s.Delivered, "delivered"));
        return Chart(traces, TimeLayout(title, "messages delivered"));
    }

    /// <summary>
    /// How many messages waited in each subscriber's outgoing queue over time, with the broker's
    /// limit as a dashed line: a subscriber that keeps up stays near zero; one that stopped reading
    /// climbs to the limit and is cut off there.
    /// </summary>
    public static GenericChart Queues(IEnumerable<SubscriberStats> subscribers, int? limit = null, string title = "Messages waiting in each subscriber's queue",
        IReadOnlyDictionary<int, string>? names = null)
    {
        ArgumentNullException.ThrowIfNull(subscribers);
        var shown = subscribers.ToArray();
        double start = Start(shown);
        var traces = Lines(shown, start, names, s => s.Queued, "queued");
        traces.Add(CutOffMarks(shown, start, names, s => s.Queued, "queued"));
        var layout = TimeLayout(title, "messages queued in the broker");
        if (limit is { } max)
        {
            layout.SetProperty("shapes", new[]
            {
                Dyn(("type", "line"), ("xref", "paper"), ("x0", 0), ("x1", 1), ("yref", "y"), ("y0", max), ("y1", max),
                    ("line", Dyn(("color", "#888"), ("width", 1.5), ("dash", "dash")))),
            });
            layout.SetProperty("annotations", new[]
            {
                Dyn(("xref", "paper"), ("x", 0), ("xanchor", "left"), ("yref", "y"), ("y", max), ("yanchor", "bottom"),
                    ("text", $"limit: MaxQueuedMessages = {max.ToString("N0", CultureInfo.InvariantCulture)}"), ("showarrow", false), ("font", Dyn(("color", "#666")))),
            });
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

    private static List<PlotlyTrace> Lines(SubscriberStats[] shown, double start, IReadOnlyDictionary<int, string>? names,
        Func<DeliverySample, long> value, string what) =>
        shown.Select((subscriber, i) =>
        {
            string name = Name(subscriber, names);
            var line = new PlotlyTrace("scatter");
            line.SetProperty("name", name);
            line.SetProperty("mode", "lines");
            line.SetProperty("x", subscriber.Samples.Select(p => Math.Round(p.TimeMs - start, 1)).ToArray());
            line.SetProperty("y", subscriber.Samples.Select(value).ToArray());
            // A sample is taken only when something changed, so the value holds until the next one: a step.
            line.SetProperty("line", Dyn(("shape", "hv"), ("width", subscriber.CutOff ? 3 : 2),
                ("color", subscriber.CutOff ? CutOffColor : s_colors[i % s_colors.Length])));
            line.SetProperty("hovertext", subscriber.Samples.Select(p =>
                $"{Escape(name)}<br>{p.TimeMs - start:0.0} ms: {value(p):N0} {what}").ToArray());
            line.SetProperty("hoverinfo", "text");
            line.SetProperty("showlegend", shown.Length <= MaxLegendEntries);
            return line;
        }).ToList();

    private static PlotlyTrace CutOffMarks(SubscriberStats[] shown, double start, IReadOnlyDictionary<int, string>? names,
        Func<DeliverySample, long> value, string what)
    {
        var cut = shown.Where(s => s.CutOff && s.Samples.Count > 0).ToArray();
        var marks = new PlotlyTrace("scatter");
        marks.SetProperty("name", "cut off by the broker");
        marks.SetProperty("mode", "markers");
        marks.SetProperty("x", cut.Select(s => Math.Round((s.ClosedMs ?? s.Samples[^1].TimeMs) - start, 1)).ToArray());
        marks.SetProperty("y", cut.Select(s => value(s.Samples[^1])).ToArray());
        marks.SetProperty("marker", Dyn(("color", CutOffColor), ("symbol", "x"), ("size", 14)));
        marks.SetProperty("hovertext", cut.Select(s =>
            $"{Escape(Name(s, names))} cut off at {(s.ClosedMs ?? 0) - start:0.0} ms with {value(s.Samples[^1]):N0} {what}<br>{Escape(s.CloseDetail)}").ToArray());
        marks.SetProperty("hoverinfo", "text");
        marks.SetProperty("showlegend", cut.Length > 0);
        return marks;
    }

    // Counts and times since the first subscription: both axes start at zero.
    private static Layout TimeLayout(string title, string yTitle) =>
        BaseLayout(title, Axis("time since the first subscription (ms)", toZero: true), Axis(yTitle, toZero: true), height: 400);
}
