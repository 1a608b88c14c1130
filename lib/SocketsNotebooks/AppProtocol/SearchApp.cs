using System.Collections.Concurrent;
using System.Text.Json.Nodes;

namespace SocketsNotebooks.AppProtocol;

/// <summary>
/// The tutorial's application (<c>libserver.py</c>'s <c>create_response</c>): JSON requests
/// <c>{"action": "search", "value": ...}</c> are looked up in <see cref="Terms"/>; any other content
/// type is answered with its first 10 bytes. No sockets here: request in, response out.
/// Add entries to <see cref="Terms"/> or <see cref="Actions"/> to teach a running server new tricks.
/// </summary>
public sealed class SearchApp
{
    /// <summary>The tutorial's search table.</summary>
    public static IReadOnlyDictionary<string, string> TutorialTerms { get; } = new Dictionary<string, string>
    {
        ["morpheus"] = "Follow the white rabbit. 🐰",
        ["ring"] = "In the caves beneath the Misty Mountains. 💍",
        ["🐶"] = "🐾 Playing ball! 🏐",
    };

    /// <summary>An app with the tutorial's search table and its one action, <c>search</c>.</summary>
    public SearchApp()
    {
        Terms = new ConcurrentDictionary<string, string>(TutorialTerms);
        Actions = new ConcurrentDictionary<string, Func<string?, string>> { ["search"] = Search };
    }

    /// <summary>Search term → answer. Safe to change while a server runs (a notebook cell may add one).</summary>
    public ConcurrentDictionary<string, string> Terms { get; }

    /// <summary>Action name → what it answers for a value (null when the request had no <c>value</c>).</summary>
    public ConcurrentDictionary<string, Func<string?, string>> Actions { get; }

    /// <summary>The <c>search</c> action: the answer for <paramref name="value"/>, or <c>No match for '...'.</c></summary>
    public string Search(string? value) =>
        value is not null && Terms.TryGetValue(value, out string? answer) ? answer : $"No match for '{value ?? "None"}'.";

    /// <summary>
    /// The response to one request: a JSON <c>{"result": ...}</c> for <c>text/json</c>, otherwise a
    /// binary <c>First 10 bytes of request: ...</c>. Throws <see cref="ProtocolException"/>
    /// (<see cref="ProtocolError.InvalidContent"/>) for JSON content that is not a JSON object.
    /// </summary>
    public Message Respond(Message request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!request.IsJson)
        {
            byte[] prefix = "First 10 bytes of request: "u8.ToArray();
            var first10 = request.Content.Span[..Math.Min(10, request.Content.Length)];
            return Message.Binary([.. prefix, .. first10], Message.ServerBinaryType);
        }
        string result;
        if (request.Content.IsEmpty)
        {
            // The tutorial's server has no answer for this; an empty message is valid framing, so say what is wrong.
            result = "Error: empty request.";
        }
        else
        {
            var json = request.ContentJson();
            string? action = AsText(json["action"]);
            string? value = AsText(json["value"]);
            result = action is not null && Actions.TryGetValue(action, out var answer)
                ? answer(value)
                : $"Error: invalid action '{action ?? "None"}'.";
        }
        return Message.Json(new JsonObject { ["result"] = result });
    }

    // Python formats whatever JSON value it got with str(); strings are what the tutorial sends.
    private static string? AsText(JsonNode? node) =>
        node is null ? null : node is JsonValue v && v.TryGetValue(out string? s) ? s : node.ToJsonString();
}
