using System.Globalization;
using System.Text.Json.Nodes;
using SocketsNotebooks.Inside;
using static SocketsNotebooks.Charts.PlotlyParts;

namespace SocketsNotebooks.Charts;

/// <summary>
/// The figure behind <see cref="InsideCharts.Ladder(Ladder, string)"/>: the textbook ladder. The client's line on
/// the left, the server's on the right, time running down; one arrow per segment, sloping down from the sender
/// to the receiver, labelled with its flags, seq, ack, len and win. Rows are evenly spaced (loopback puts most
/// segments microseconds apart and some hundreds of milliseconds); a pause of a millisecond or more, and any
/// segments an excerpt left out, get a row of their own that says so.
/// </summary>
internal static class LadderFigure
{
    private const double ClientX = 0, ServerX = 1;
    private const double Slope = 0.55;          // how far down (in rows) an arrow ends: loopback is not instant either
    private const double PauseMs = 1.0;          // a pause this long gets a row of its own
    private const string ClientColor = "#4C78A8", ServerColor = "#54A24B", NoteColor = "#E45756";

    private readonly record struct Row(double Y, LadderRung? Rung, string Gap);

    public static PlotlyFigure Build(Ladder ladder, string title)
    {
        var rows = Rows(ladder);
        double bottom = rows.Count == 0 ? 1 : rows[^1].Y + 1;
        var arrows = new JsonArray();
        var rungs = rows.Where(r => r.Rung is not null).ToArray();
        foreach (var row in rungs)
        {
            var rung = row.Rung!;
            string color = Color(rung);
            arrows.Add(Dyn(("x", rung.FromClient ? ServerX : ClientX), ("y", row.Y + Slope),
                ("ax", rung.FromClient ? ClientX : ServerX), ("ay", row.Y), ("xref", "x"), ("yref", "y"), ("axref", "x"), ("ayref", "y"),
                ("showarrow", true), ("arrowhead", 2), ("arrowsize", 1.2), ("arrowwidth", rung.Note.Length > 0 ? 2.2 : 1.4),
                ("arrowcolor", color), ("text", "")));
        }

        var labels = PlotlyTrace("scatter");
        labels.Set("mode", "text");
        labels.Set("x", rungs.Select(_ => 0.5).ToArray());
        // Just above the arrow's middle, so the line never runs through the text.
        labels.Set("y", rungs.Select(r => r.Y + Slope / 2 - 0.3).ToArray());
        labels.Set("text", rungs.Select(r => Label(r.Rung!)).ToArray());
        labels.Set("textfont", Dyn(("size", 11), ("color", rungs.Select(r => Color(r.Rung!)).ToArray())));
        labels.Set("hovertext", rungs.Select(r => Escape($"#{r.Rung!.Segment.No} at {Ms(r.Rung.Segment.TimeMs)}: {r.Rung}")).ToArray());
        labels.Set("hoverinfo", "text");

        var times = PlotlyTrace("scatter");
        times.Set("mode", "text");
        times.Set("x", rungs.Select(r => r.Rung!.FromClient ? ClientX - 0.03 : ServerX + 0.03).ToArray());
        times.Set("y", rungs.Select(r => r.Y).ToArray());
        times.Set("text", rungs.Select(r => $"#{r.Rung!.Segment.No}  {Ms(r.Rung.Segment.TimeMs)}").ToArray());
        times.Set("textposition", rungs.Select(r => r.Rung!.FromClient ? "middle left" : "middle right").ToArray());
        times.Set("textfont", Dyn(("size", 10), ("color", "#555")));
        times.Set("hoverinfo", "skip");

        var gaps = rows.Where(r => r.Rung is null).ToArray();
        var pauses = PlotlyTrace("scatter");
        pauses.Set("mode", "text");
        pauses.Set("x", gaps.Select(_ => 0.5).ToArray());
        pauses.Set("y", gaps.Select(g => g.Y + 0.1).ToArray());
        pauses.Set("text", gaps.Select(g => g.Gap).ToArray());
        pauses.Set("textfont", Dyn(("size", 11), ("color", "#888")));
        pauses.Set("hoverinfo", "skip");

        var x = Axis("");
        x.Set("range", new[] { -0.42, 1.42 });
        x.Set("visible", false);
        x.Set("fixedrange", true);
        var y = Axis("");
        y.Set("range", new[] { bottom + 0.2, -1.3 });   // reversed: time runs down
        y.Set("visible", false);
        var layout = BaseLayout(title, x, y, height: (int)Math.Clamp(110 + 34 * (bottom + 1.5), 260, 1800));
        layout.Set("showlegend", false);
        // Room for a title of two lines (what the experiment was, where the segments come from).
        layout.Set("margin", Dyn(("t", 70), ("b", 10), ("l", 10), ("r", 10)));
        layout.Set("shapes", new JsonArray(Line(ClientX, bottom), Line(ServerX, bottom)));
        var heads = new JsonArray(Head(ClientX, $"client {ladder.Client}", ClientColor), Head(ServerX, $"server {ladder.Server}", ServerColor));
        foreach (var arrow in arrows)
        {
            heads.Add(arrow!.DeepClone());
        }
        layout.Set("annotations", heads);
        return Chart([labels, times, pauses], layout);
    }

    // One row per rung, and a row for each pause of a millisecond or more and each stretch an excerpt left out.
    private static List<Row> Rows(Ladder ladder)
    {
        var rows = new List<Row>();
        double y = 0;
        LadderRung? previous = null;
        foreach (var rung in ladder.Rungs)
        {
            if (previous is not null)
            {
                int skipped = rung.Segment.No - previous.Segment.No - 1;
                double pause = rung.Segment.TimeMs - previous.Segment.TimeMs;
                string gap = skipped > 0 ? $"⋮  {skipped} segment{(skipped == 1 ? "" : "s")} left out ({Ms(pause)})"
                    : pause >= PauseMs ? $"⋮  {Ms(pause)} pass" : "";
                if (gap.Length > 0)
                {
                    rows.Add(new Row(y, null, gap));
                    y += 1;
                }
            }
            rows.Add(new Row(y, rung, ""));
            y += 1;
            previous = rung;
        }
        return rows;
    }

    private static string Label(LadderRung rung)
    {
        var s = rung.Segment;
        string label = $"{s.Flags}  seq {s.Seq}  ack {s.Ack}  len {s.Length}  win {s.Window:N0}";
        return rung.Note.Length > 0 ? $"<b>{Escape(label)}  ·  {Escape(rung.Note)}</b>" : Escape(label);
    }

    private static string Color(LadderRung rung) =>
        rung.Note.Length > 0 && !rung.Note.StartsWith('→') ? NoteColor : rung.FromClient ? ClientColor : ServerColor;

    private static string Ms(double ms) =>
        ms >= 100 ? $"{ms.ToString("0", CultureInfo.InvariantCulture)} ms" : $"{ms.ToString("0.000", CultureInfo.InvariantCulture)} ms";

    private static JsonObject Line(double x, double bottom) =>
        Dyn(("type", "line"), ("x0", x), ("x1", x), ("y0", -0.6), ("y1", bottom), ("xref", "x"), ("yref", "y"),
            ("line", Dyn(("color", "#333"), ("width", 2))));

    private static JsonObject Head(double x, string text, string color) =>
        Dyn(("x", x), ("y", -0.7), ("xref", "x"), ("yref", "y"), ("text", $"<b>{Escape(text)}</b>"), ("showarrow", false),
            ("yanchor", "bottom"), ("font", Dyn(("color", color), ("size", 13))));
}
