using System.Globalization;
using System.Net;
using System.Text;
using SocketsNotebooks.Tracing;

namespace SocketsNotebooks.AppProtocol;

/// <summary>
/// The "try this" cells of notebook 03, each checked with a ✅ or ❌ and the reason: teach the running
/// server a new action, <c>bytes</c>, that answers how many bytes its value takes in UTF-8 (the unit
/// <c>content-length</c> counts in; the check sends real requests), and write the three-state decoder
/// (<see cref="CheckDecoder"/> feeds it every split of a stream of messages).
/// </summary>
public static partial class AppProtocolExercise
{
    /// <summary>The name of the action to add.</summary>
    public const string ActionName = "bytes";

    private static readonly string[] s_probes = ["morpheus", "🐶", "ring 💍", "ü", ""];

    /// <summary>A correct <c>bytes</c> action (what the check compares against).</summary>
    public static string ReferenceBytesAction(string? value) =>
        Encoding.UTF8.GetByteCount(value ?? "").ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// Asks the server at <paramref name="server"/> for <c>bytes</c> of a few values (ASCII, emoji,
    /// accented, empty) and checks every answer, and that <c>search</c> still works. Returns a line
    /// starting with ✅ or ❌ that says why.
    /// </summary>
    public static string CheckBytesAction(IPEndPoint server, Trace trace)
    {
        ArgumentNullException.ThrowIfNull(server);
        ArgumentNullException.ThrowIfNull(trace);
        var options = new AppClientOptions { Timeout = TimeSpan.FromSeconds(5) };
        var exchanges = AppClient.SendMany(server, [.. s_probes.Select(v => AppClient.JsonRequest(ActionName, v).ToBytes())], trace, options);
        var seen = new List<string>();
        for (int i = 0; i < s_probes.Length; i++)
        {
            string value = s_probes[i];
            var exchange = exchanges[i];
            string expected = ReferenceBytesAction(value);
            if (!exchange.Answered)
            {
                return $"❌ No answer to {{\"action\": \"bytes\", \"value\": \"{value}\"}}: {exchange.Outcome} {exchange.Detail}. Did the action throw?";
            }
            string? got = exchange.Result;
            if (got == $"Error: invalid action '{ActionName}'.")
            {
                return $"❌ The server does not know the action '{ActionName}' yet: add it to server.App.Actions.";
            }
            if (got != expected)
            {
                string hint = got == value.Length.ToString(CultureInfo.InvariantCulture)
                    ? " That is value.Length, the number of UTF-16 chars; content-length counts UTF-8 bytes (Encoding.UTF8.GetByteCount)."
                    : "";
                return $"❌ bytes of '{value}' answered '{got}', expected '{expected}'.{hint}";
            }
            seen.Add($"'{value}' → {got}");
        }
        string? search = AppClient.Search(server, "morpheus", trace, options).Result;
        if (search != SearchApp.TutorialTerms["morpheus"])
        {
            return $"❌ The bytes action works, but search for 'morpheus' now answers '{search}'.";
        }
        return $"✅ The server counts UTF-8 bytes: {string.Join(", ", seen)}; search still works.";
    }
}
