using System.CommandLine.Parsing;
using SocketsNotebooks.Concurrency;

namespace SocketsNotebooks.Cli;

/// <summary>
/// Notebook 06's concurrency models by the words the command line takes — <c>blocking</c>, <c>threads</c>,
/// <c>select</c>, <c>epoll</c>, <c>async</c>, in any case — so <c>sockets serve &lt;model&gt;</c> and
/// <c>sockets bench concurrency --models</c> accept and refuse the same words with the same message.
/// </summary>
public static class ConcurrencyModelNames
{
    /// <summary>The word for <paramref name="model"/>: its name in lower case.</summary>
    public static string Name(ConcurrencyModel model) => model.ToString().ToLowerInvariant();

    /// <summary>Every model's word, in the notebook's order, for help texts and errors.</summary>
    public static string Choices { get; } = string.Join(", ", Enum.GetValues<ConcurrencyModel>().Select(Name));

    /// <summary>
    /// Reads one model's word. Null when it is one that runs here; otherwise the reason, e.g. an unknown
    /// word, or <c>epoll</c> off Linux (<see cref="EchoModels.All"/> lists what runs here).
    /// </summary>
    public static string? TryParse(string text, out ConcurrencyModel model)
    {
        ArgumentNullException.ThrowIfNull(text);
        // Not Enum.TryParse: it would also take "2" and "Select, Async".
        foreach (var candidate in Enum.GetValues<ConcurrencyModel>())
        {
            if (string.Equals(Name(candidate), text.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                model = candidate;
                return EchoModels.All.Contains(candidate)
                    ? null
                    : $"{Name(candidate)} is not available on this system (epoll is Linux's); select runs the same loop on Socket.Select.";
            }
        }
        model = default;
        return $"model must be one of {Choices}, not '{text}'.";
    }

    /// <summary>The parser of a <c>model</c> argument: a word <see cref="TryParse"/> refuses is a usage error (exit 2).</summary>
    public static ConcurrencyModel Parse(ArgumentResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (result.Tokens.Count == 0)
        {
            return default;
        }
        if (TryParse(result.Tokens[0].Value, out var model) is { } error)
        {
            result.AddError(error);
        }
        return model;
    }

    /// <summary>
    /// The parser of a list option such as <c>--models select,async</c>: comma-separated words, each one
    /// <see cref="TryParse"/> takes, no repeats; absent, <paramref name="defaultValue"/>.
    /// </summary>
    public static ConcurrencyModel[] ParseList(ArgumentResult result, string optionName, ConcurrencyModel[] defaultValue)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (result.Tokens.Count == 0)
        {
            return defaultValue;
        }
        string text = result.Tokens[0].Value;
        var models = new List<ConcurrencyModel>();
        foreach (string word in text.Split(','))
        {
            if (TryParse(word, out var model) is { } error)
            {
                result.AddError($"{optionName}: {error}");
                return defaultValue;
            }
            if (models.Contains(model))
            {
                result.AddError($"{optionName} names {Name(model)} twice, in '{text}'.");
                return defaultValue;
            }
            models.Add(model);
        }
        return [.. models];
    }
}
