using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using SocketsNotebooks.AppProtocol;
using SocketsNotebooks.Tracing;
using static SocketsNotebooks.Charts.PlotlyParts;

namespace SocketsNotebooks.Charts;

/// <summary>
/// Pictures of the application protocol: which part of a message each <c>recv()</c> delivered
/// (the anatomy chart), and one whole message byte by byte (the annotated hex view).
/// For the plain bytes-per-<c>recv()</c> chart use <see cref="TraceCharts.RecvSizes"/>.
/// </summary>
public static class AppProtocolCharts
{
    private const string ProtoHeaderColor = "#ef553b";
    private const string JsonHeaderColor = "#636efa";
    private const string ContentColor = "#00cc96";
    private const int MaxLabelledBars = 40;

    /// <summary>
    /// One stacked bar per <c>recv()</c>: red, bytes of the 2-byte proto header; blue, bytes of the
    /// JSON header; green, bytes of content. A star marks the <c>recv()</c> that completed a message;
    /// every bar before it is the decoder waiting for more.
    /// </summary>
    public static PlotlyFigure Anatomy(IEnumerable<RecvAnatomy> recvs, string title = "What each recv() delivered")
    {
        ArgumentNullException.ThrowIfNull(recvs);
        var rows = recvs.ToArray();
        int[] x = [.. Enumerable.Range(1, rows.Length)];
        string[] hover = [.. rows.Select(Hover)];
        bool labelled = rows.Length <= MaxLabelledBars;

        JsonObject Part(string name, Func<RecvAnatomy, int> bytes, string color)
        {
            var bar = PlotlyTrace("bar");
            bar.Set("name", name);
            bar.Set("x", x);
            bar.Set("y", rows.Select(bytes).ToArray());
            bar.Set("hovertext", hover);
            bar.Set("hoverinfo", "text");
            bar.Set("marker", Dyn(("color", color)));
            if (labelled)
            {
                bar.Set("text", rows.Select(r => bytes(r) == 0 ? "" : bytes(r).ToString(CultureInfo.InvariantCulture)).ToArray());
                bar.Set("textposition", "inside");
            }
            return bar;
        }

        var done = rows.Select((r, i) => (Row: r, X: i + 1)).Where(p => p.Row.Complete).ToArray();
        var complete = PlotlyTrace("scatter");
        complete.Set("name", "message complete");
        complete.Set("mode", "markers");
        complete.Set("x", done.Select(p => p.X).ToArray());
        // Just above the bar, so the star does not sit on the bar's number.
        double lift = Math.Max(1, rows.Select(r => r.Bytes).DefaultIfEmpty(0).Max() * 0.06);
        complete.Set("y", done.Select(p => p.Row.Bytes + lift).ToArray());
        complete.Set("hovertext", done.Select(p => $"recv #{p.Row.Recv} on conn {p.Row.Conn} completed a message").ToArray());
        complete.Set("hoverinfo", "text");
        complete.Set("marker", Dyn(("symbol", "star"), ("size", 14), ("color", "#222"), ("line", Dyn(("color", "white"), ("width", 1)))));

        var layout = BaseLayout(title, Axis("recv() call, in order", dtick: rows.Length <= 30 ? 1 : null),
            Axis("bytes delivered, by part of the message"), height: 400);
        layout.Set("barmode", "stack");
        layout.Set("bargap", 0.15);
        layout.Set("legend", Dyn(("orientation", "h"), ("y", -0.2)));

        List<JsonObject> traces =
        [
            Part("proto header (2-byte length)", r => r.ProtoHeader, ProtoHeaderColor),
            Part("JSON header", r => r.JsonHeader, JsonHeaderColor),
            Part("content", r => r.Content, ContentColor),
            complete,
        ];
        return Chart(traces, layout);
    }

    /// <summary>
    /// The anatomy rows as a plain table, one line per <c>recv()</c> (the kernel would show each
    /// record folded up): bytes, how they split into the three parts, and what the decoder waited for next.
    /// </summary>
    public static AppProtocolHtml AnatomyTable(IEnumerable<RecvAnatomy> recvs)
    {
        ArgumentNullException.ThrowIfNull(recvs);
        var rows = recvs.ToArray();
        var html = new StringBuilder("<table><thead><tr><th>recv</th><th>conn</th><th>bytes</th><th>proto header</th><th>JSON header</th><th>content</th><th>message complete?</th><th>then waiting for</th></tr></thead><tbody>");
        var text = new StringBuilder("recv conn bytes proto json content complete waiting\n");
        foreach (var r in rows)
        {
            html.Append(CultureInfo.InvariantCulture,
                $"<tr><td>{r.Recv}</td><td>{r.Conn}</td><td>{r.Bytes}</td><td>{r.ProtoHeader}</td><td>{r.JsonHeader}</td><td>{r.Content}</td><td>{(r.Complete ? "✔ yes" : "")}</td><td>{Escape(r.Waiting)}</td></tr>");
            text.Append(CultureInfo.InvariantCulture, $"{r.Recv,4} {r.Conn,4} {r.Bytes,5} {r.ProtoHeader,5} {r.JsonHeader,4} {r.Content,7} {(r.Complete ? "yes" : "no"),8} {r.Waiting}\n");
        }
        return new AppProtocolHtml(html.Append("</tbody></table>").ToString(), text.ToString());
    }

    /// <summary>
    /// The bytes of one message, 16 to a row, each coloured by the part it belongs to, with the
    /// offset on the left and the characters on the right. Hover a byte to see what it is.
    /// </summary>
    public static AppProtocolHtml HexView(Message message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return HexView(message.ToBytes());
    }

    /// <summary>
    /// The annotated hex view of raw bytes that start with a message. Bytes the framing cannot
    /// place (after a broken header, or past the end of the message) are grey.
    /// </summary>
    public static AppProtocolHtml HexView(byte[] wire, int bytesPerRow = 16)
    {
        ArgumentNullException.ThrowIfNull(wire);
        ArgumentOutOfRangeException.ThrowIfLessThan(bytesPerRow, 1);
        var (headerEnd, contentEnd) = Layout(wire);
        string PartOf(int i) => i < 2 ? "proto" : i < headerEnd ? "json" : i < contentEnd ? "content" : "other";

        var html = new StringBuilder();
        html.Append("<div class=\"apx\" style=\"font-family:ui-monospace,Menlo,Consolas,monospace;font-size:13px\">");
        html.Append("<style>.apx td{padding:1px 3px;text-align:center}.apx .proto{background:#fbd0c9}.apx .json{background:#d3d6fd}")
            .Append(".apx .content{background:#c6f2e5}.apx .other{background:#e6e6e6}.apx .off{color:#888;text-align:right;padding-right:8px}")
            .Append(".apx .chars{padding-left:12px;text-align:left;white-space:pre}</style>");
        html.Append("<div style=\"margin-bottom:6px\">")
            .Append(Legend("proto", "proto header", Math.Min(2, wire.Length)))
            .Append(Legend("json", "JSON header", Math.Max(0, headerEnd - 2)))
            .Append(Legend("content", "content", Math.Max(0, contentEnd - headerEnd)));
        if (wire.Length > contentEnd)
        {
            html.Append(Legend("other", "not part of this message", wire.Length - contentEnd));
        }
        html.Append("</div><table style=\"border-collapse:collapse\">");
        for (int row = 0; row < wire.Length; row += bytesPerRow)
        {
            html.Append("<tr><td class=\"off\">").Append(row.ToString("x4", CultureInfo.InvariantCulture)).Append("</td>");
            var chars = new StringBuilder();
            for (int i = row; i < row + bytesPerRow; i++)
            {
                if (i >= wire.Length)
                {
                    html.Append("<td></td>");
                    continue;
                }
                string part = PartOf(i);
                html.Append("<td class=\"").Append(part).Append("\" title=\"")
                    .Append(Escape(Describe(wire, i, headerEnd, contentEnd))).Append("\">")
                    .Append(wire[i].ToString("x2", CultureInfo.InvariantCulture)).Append("</td>");
                chars.Append("<span class=\"").Append(part).Append("\">").Append(Escape(Glyph(wire, i))).Append("</span>");
            }
            html.Append("<td class=\"chars\">").Append(chars).Append("</td></tr>");
        }
        html.Append("</table></div>");
        return new AppProtocolHtml(html.ToString(), PlainHex(wire, headerEnd, contentEnd));
    }

    private static string Hover(RecvAnatomy r)
    {
        var parts = new List<string>();
        if (r.ProtoHeader > 0)
        {
            parts.Add($"{r.ProtoHeader} of proto header");
        }
        if (r.JsonHeader > 0)
        {
            parts.Add($"{r.JsonHeader} of JSON header");
        }
        if (r.Content > 0)
        {
            parts.Add($"{r.Content} of content");
        }
        string what = parts.Count == 0 ? "nothing" : string.Join(" + ", parts);
        return $"recv #{r.Recv} on conn {r.Conn} ({r.Side.Label(r.Conn)}): {r.Bytes} bytes = {what}"
            + (r.Complete ? "<br>completed a message" : "")
            + $"<br>then waiting for: {r.Waiting}";
    }

    // Where the JSON header and the content end, as far as the bytes can tell.
    private static (int HeaderEnd, int ContentEnd) Layout(byte[] wire)
    {
        if (wire.Length < 2)
        {
            return (wire.Length, wire.Length);
        }
        int headerEnd = Math.Min(wire.Length, 2 + ((wire[0] << 8) | wire[1]));
        try
        {
            var header = MessageHeader.Parse(wire.AsSpan(2, headerEnd - 2), new MessageLimits { MaxContentLength = 0x7FFFFFC7, MaxHeaderLength = ushort.MaxValue });
            return (headerEnd, (int)Math.Min(wire.Length, (long)headerEnd + header.ContentLength));
        }
        catch (ProtocolException)
        {
            return (headerEnd, headerEnd);
        }
    }

    private static string Describe(byte[] wire, int i, int headerEnd, int contentEnd)
    {
        string b = $"byte {i}: 0x{wire[i]:x2} = {wire[i]}";
        if (i < 2)
        {
            int length = wire.Length >= 2 ? (wire[0] << 8) | wire[1] : wire[0];
            return $"{b}, {(i == 0 ? "high" : "low")} byte of the JSON header's length ({length}, big-endian)";
        }
        if (i < headerEnd)
        {
            return $"{b}, JSON header byte {i - 2 + 1} of {headerEnd - 2}{CharNote(wire, i)}";
        }
        if (i < contentEnd)
        {
            return $"{b}, content byte {i - headerEnd + 1} of {contentEnd - headerEnd}{CharNote(wire, i)}";
        }
        return $"{b}, after the message";
    }

    private static string CharNote(byte[] wire, int i) =>
        wire[i] >= 0x80 ? (wire[i] >= 0xC0 ? $", starts the UTF-8 character '{Glyph(wire, i)}'" : ", continues a UTF-8 character") : $", '{(char)wire[i]}'";

    // The character a byte stands for: ASCII as itself, a UTF-8 lead byte as the whole character,
    // its continuation bytes as a dot (so the columns stay aligned), anything else as a dot.
    private static string Glyph(byte[] wire, int i)
    {
        byte b = wire[i];
        if (i < 2)
        {
            return "·";
        }
        if (b is >= 0x20 and < 0x7F)
        {
            return ((char)b).ToString();
        }
        int length = b switch { >= 0xF0 and < 0xF8 => 4, >= 0xE0 => 3, >= 0xC0 => 2, _ => 0 };
        if (length > 0 && i + length <= wire.Length)
        {
            try
            {
                return new UTF8Encoding(false, true).GetString(wire, i, length);
            }
            catch (DecoderFallbackException)
            {
                return "·";
            }
        }
        return "·";
    }

    private static string PlainHex(byte[] wire, int headerEnd, int contentEnd)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"proto header {Math.Min(2, wire.Length)} bytes, JSON header {Math.Max(0, headerEnd - 2)} bytes, content {Math.Max(0, contentEnd - headerEnd)} bytes\n");
        for (int row = 0; row < wire.Length; row += 16)
        {
            var slice = wire.AsSpan(row, Math.Min(16, wire.Length - row));
            text.Append(row.ToString("x4", CultureInfo.InvariantCulture)).Append("  ").Append(Convert.ToHexString(slice).ToLowerInvariant()).Append('\n');
        }
        return text.ToString();
    }

    // Only the five characters HTML needs; WebUtility.HtmlEncode would also turn 🐰 into &#128048;.
    private static string Escape(string text) =>
        text.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;").Replace("\"", "&quot;").Replace("'", "&#39;");

    private static string Legend(string part, string name, int bytes) =>
        $"<span class=\"{part}\" style=\"padding:1px 6px;margin-right:10px\">{name}: {bytes} bytes</span>";
}
