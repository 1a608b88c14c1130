using System.Globalization;
using SocketsNotebooks.Tracing;
using static SocketsNotebooks.Charts.PlotlyParts;

namespace SocketsNotebooks.Charts;

/// <summary>The figure behind <see cref="TraceCharts.Table"/>: one row per call, tinted by side.</summary>
internal static class TraceTableFigure
{
    public static PlotlyFigure Build(TraceEvent[] rows, string title)
    {
        string[] header = ["#", "ms", "side", "conn", "call", "asked", "moved", "bytes (Python repr)", "note"];
        object[] columns =
        [
            rows.Select(e => e.Seq).ToArray(),
            rows.Select(e => e.TimeMs.ToString("0.000", CultureInfo.InvariantCulture)).ToArray(),
            rows.Select(e => e.Side.Label(e.Conn)).ToArray(),
            rows.Select(e => e.Conn).ToArray(),
            rows.Select(e => e.Kind.ToString().ToLowerInvariant()).ToArray(),
            rows.Select(e => e.Kind is TraceKind.Send or TraceKind.Recv ? e.Asked.ToString(CultureInfo.InvariantCulture) : "").ToArray(),
            rows.Select(e => e.Kind is TraceKind.Send or TraceKind.Recv ? e.Moved.ToString(CultureInfo.InvariantCulture) : "").ToArray(),
            rows.Select(e => Escape(e.Preview)).ToArray(),
            rows.Select(e => Escape(e.Note)).ToArray(),
        ];
        string[] tint = rows.Select(e => e.Side switch { Side.Client => "#eef1ff", Side.Relay or Side.RelayToServer => "#fff4e6", _ => "#e9f9f3" }).ToArray();

        var table = PlotlyTrace("table");
        table.Set("columnwidth", new[] { 30, 60, 50, 40, 60, 50, 50, 190, 190 });
        table.Set("header", Dyn(("values", header), ("align", "left"), ("fill", Dyn(("color", "#dde1e8"))),
            ("font", Dyn(("size", 13)))));
        table.Set("cells", Dyn(("values", columns), ("align", "left"), ("height", 24),
            ("fill", Dyn(("color", Enumerable.Repeat(tint, header.Length).ToArray()))), ("font", Dyn(("size", 12)))));

        return Chart([table], TableLayout(title, Math.Min(900, 120 + 25 * Math.Max(rows.Length, 1))));
    }
}
