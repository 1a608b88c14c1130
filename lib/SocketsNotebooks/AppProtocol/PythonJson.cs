using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace SocketsNotebooks.AppProtocol;

/// <summary>
/// Writes JSON exactly as Python's <c>json.dumps(obj, ensure_ascii=False)</c> does, which is what
/// the tutorial's programs send: <c>", "</c> between items, <c>": "</c> after keys, non-ASCII
/// text as raw UTF-8. System.Text.Json writes compact JSON with escapes, so the bytes (and the
/// 2-byte header length in front of them) would differ from the Python programs' bytes.
/// </summary>
public static class PythonJson
{
    /// <summary>The text of <paramref name="node"/> in Python's default <c>json.dumps</c> layout.</summary>
    public static string Serialize(JsonNode? node)
    {
        var text = new StringBuilder();
        Write(text, node);
        return text.ToString();
    }

    /// <summary>The UTF-8 bytes of <see cref="Serialize(JsonNode?)"/>.</summary>
    public static byte[] SerializeToUtf8(JsonNode? node) => Encoding.UTF8.GetBytes(Serialize(node));

    /// <summary>Appends <paramref name="value"/> as a JSON string, escaping only what Python escapes.</summary>
    public static void WriteString(StringBuilder text, string value)
    {
        text.Append('"');
        foreach (char c in value)
        {
            switch (c)
            {
                case '"': text.Append("\\\""); break;
                case '\\': text.Append("\\\\"); break;
                case '\n': text.Append("\\n"); break;
                case '\r': text.Append("\\r"); break;
                case '\t': text.Append("\\t"); break;
                case '\b': text.Append("\\b"); break;
                case '\f': text.Append("\\f"); break;
                case < ' ': text.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture)); break;
                default: text.Append(c); break;
            }
        }
        text.Append('"');
    }

    private static void Write(StringBuilder text, JsonNode? node)
    {
        switch (node)
        {
            case null:
                text.Append("null");
                break;
            case JsonObject obj:
                text.Append('{');
                bool first = true;
                foreach (var (key, value) in obj)
                {
                    text.Append(first ? "" : ", ");
                    first = false;
                    WriteString(text, key);
                    text.Append(": ");
                    Write(text, value);
                }
                text.Append('}');
                break;
            case JsonArray array:
                text.Append('[');
                for (int i = 0; i < array.Count; i++)
                {
                    text.Append(i == 0 ? "" : ", ");
                    Write(text, array[i]);
                }
                text.Append(']');
                break;
            case JsonValue value when value.TryGetValue(out string? s):
                WriteString(text, s);
                break;
            default:
                // Numbers and booleans: System.Text.Json's text is the same as Python's for the
                // integers and true/false the protocol uses.
                text.Append(node.ToJsonString());
                break;
        }
    }
}
