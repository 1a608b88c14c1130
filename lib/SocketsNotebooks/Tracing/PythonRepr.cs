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

    public static string Str(string value)
    {
        char quote = value.Contains('\'') && !value.Contains('"') ? '"' : '\'';
        var text = new StringBuilder().Append(quote);
        foreach (char c in value)
        {
            text.Append(c switch
            {
                '\\' => "\\\\",
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                _ when c == quote => "\\" + quote,
                < ' ' or '\u007f' => "\\x" + ((int)c).ToString("x2", CultureInfo.InvariantCulture),
                _ => c.ToString(),
            });
        }
        return text.Append(quote).ToString();
    }

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
