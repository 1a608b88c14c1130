using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace SocketsNotebooks.Tracing;

// Python's repr() of the few things the tutorial prints besides bytes (see PythonBytes), so the
// servers' log lines in every notebook read like its output.
internal static class PythonRepr
{
    public static string Address(EndPoint? endPoint) =>
        endPoint is IPEndPoint ip ? $"('{ip.Address}', {ip.Port})" : endPoint?.ToString() ?? "?";

    // Python's repr() escapes every character str.isprintable() rejects, not only ASCII controls: a
    // peer's value in a log line must not end the line (\n, U+2028), colour the terminal (ESC, or the
    // C1 CSI \x9b) or turn text around (U+202E), so it reads as one escaped value.
    public static string Str(string value)
    {
        char quote = value.Contains('\'') && !value.Contains('"') ? '"' : '\'';
        var text = new StringBuilder().Append(quote);
        for (int i = 0; i < value.Length; i++)
        {
            char c = value[i];
            if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                int code = char.ConvertToUtf32(c, value[i + 1]);
                text.Append(IsPrintable(CharUnicodeInfo.GetUnicodeCategory(code))
                    ? value.Substring(i, 2)
                    : "\\U" + code.ToString("x8", CultureInfo.InvariantCulture));
                i++;
                continue;
            }
            text.Append(c switch
            {
                '\\' => "\\\\",
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                _ when c == quote => "\\" + quote,
                ' ' => " ",
                _ when IsPrintable(CharUnicodeInfo.GetUnicodeCategory(c)) => c.ToString(),
                <= '\u00ff' => "\\x" + ((int)c).ToString("x2", CultureInfo.InvariantCulture),
                _ => "\\u" + ((int)c).ToString("x4", CultureInfo.InvariantCulture),
            });
        }
        return text.Append(quote).ToString();
    }

    /// <summary>
    /// <see cref="Str(string)"/> of at most <paramref name="max"/> characters of <paramref name="value"/>;
    /// a longer value is cut, with its full length after it, as the logs show long payloads.
    /// </summary>
    public static string Str(string value, int max)
    {
        if (value.Length <= max)
        {
            return Str(value);
        }
        int cut = max > 0 && char.IsHighSurrogate(value[max - 1]) ? max - 1 : max;
        return string.Create(CultureInfo.InvariantCulture, $"{Str(value[..cut])}… ({value.Length:N0} chars)");
    }

    // Python's str.isprintable(): not a control, format, surrogate, private-use or unassigned
    // character, nor a separator other than the space.
    private static bool IsPrintable(UnicodeCategory category) => category is not (
        UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.Surrogate
        or UnicodeCategory.PrivateUse or UnicodeCategory.OtherNotAssigned
        or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator or UnicodeCategory.SpaceSeparator);

    public static string Of(JsonNode? node) => node switch
    {
        null => "None",
        JsonObject obj => "{" + string.Join(", ", obj.Select(p => $"{Str(p.Key)}: {Of(p.Value)}")) + "}",
        JsonArray array => "[" + string.Join(", ", array.Select(Of)) + "]",
        JsonValue v when v.TryGetValue(out string? s) => Str(s),
        JsonValue v when v.TryGetValue(out bool b) => b ? "True" : "False",
        _ => node.ToJsonString(),
    };
}
