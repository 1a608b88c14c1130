using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace SocketsNotebooks.Cli;

/// <summary>
/// The options of the <c>bench</c> family, each defined once with one rule, so <c>--seconds</c> or
/// <c>--connections</c> accepts the same values in <c>bench multiconn</c>, <c>bench app</c>, <c>bench pubsub</c>
/// and any bench added later. A command takes the ones it needs and gives them its own default and
/// description (what a connection or a message is for that server); the range and the error message
/// stay the same (a bench that measures at several numbers of connections takes them as a list, each
/// number checked as <c>--connections</c> is). A value out of range is a usage error (exit 2), found before anything runs.
/// </summary>
public static class BenchOptions
{
    /// <summary>Most connections (or subscribers, each a connection) a bench opens: the same bound as <c>multiconn-client</c>.</summary>
    public const int MaxConnections = 10_000;

    /// <summary>Largest request or payload in bytes, unless a server's own limit is lower.</summary>
    public const int MaxSize = 16 * 1024 * 1024;

    /// <summary>Most messages a bench publishes.</summary>
    public const int MaxMessages = 100_000_000;

    /// <summary>Longest measured period: an hour. Longer runs say nothing a shorter one would not.</summary>
    public const double MaxSeconds = 3600;

    /// <summary>Longest warm-up.</summary>
    public const double MaxWarmUp = 600;

    /// <summary><c>--connections</c>, <c>-c</c>: connections open at once, 1 to <see cref="MaxConnections"/>.</summary>
    public static Option<int> Connections(string description, int defaultValue = 10) =>
        Whole("--connections", "-c", description, defaultValue, max: MaxConnections);

    /// <summary><c>--subscribers</c>, <c>-s</c>: subscribers, one connection each, 1 to <see cref="MaxConnections"/>.</summary>
    public static Option<int> Subscribers(string description, int defaultValue = 100) =>
        Whole("--subscribers", "-s", description, defaultValue, max: MaxConnections);

    /// <summary><c>--messages</c>, <c>-m</c>: messages to send, 1 to <see cref="MaxMessages"/>.</summary>
    public static Option<int> Messages(string description, int defaultValue = 10_000) =>
        Whole("--messages", "-m", description, defaultValue, max: MaxMessages);

    /// <summary>
    /// <c>--size</c>: bytes per request or payload, 1 to <paramref name="max"/> (<see cref="MaxSize"/>, or less
    /// where the server under test refuses bigger messages: say so before the run instead of failing in it).
    /// </summary>
    public static Option<int> Size(string description, int defaultValue, int max = MaxSize) =>
        Whole("--size", null, description, defaultValue, max);

    /// <summary>
    /// <c>--connections</c>, <c>-c</c>, as a list: the numbers of connections to measure at, in one run,
    /// comma-separated (<c>--connections 1,10,100,1000</c>), each 1 to <see cref="MaxConnections"/>.
    /// </summary>
    public static Option<int[]> ConnectionCounts(string description, params int[] defaultValue)
    {
        ArgumentNullException.ThrowIfNull(defaultValue);
        string max = MaxConnections.ToString("N0", CultureInfo.InvariantCulture);
        var option = new Option<int[]>("--connections", "-c")
        {
            Description = $"{description}: whole numbers separated by commas, each 1 to {max}",
            DefaultValueFactory = _ => defaultValue,
            // One word, so `-c 1,10` reads like `-c 10` does in the other benches.
            Arity = ArgumentArity.ExactlyOne,
        };
        option.CustomParser = result =>
        {
            if (result.Tokens.Count == 0)
            {
                return defaultValue;
            }
            string text = result.Tokens[0].Value;
            var counts = new List<int>();
            foreach (string item in text.Split(','))
            {
                if (!int.TryParse(item, NumberStyles.None, CultureInfo.InvariantCulture, out int count) || count < 1 || count > MaxConnections)
                {
                    result.AddError($"--connections must be whole numbers from 1 to {max} separated by commas, not '{text}'.");
                    return defaultValue;
                }
                counts.Add(count);
            }
            return [.. counts];
        };
        return option;
    }

    /// <summary>
    /// <c>--seconds</c>: length of the measured period, more than 0 and at most <paramref name="max"/>
    /// (<see cref="MaxSeconds"/>, or less where the load generator measures no longer).
    /// </summary>
    public static Option<double> Seconds(string description = "length of the measured period", double defaultValue = 5, double max = MaxSeconds) =>
        Duration("--seconds", description, defaultValue, allowZero: false, max);

    /// <summary>
    /// <c>--warmup</c>: seconds of load before measuring (connections made, caches warm), 0 to <paramref name="max"/>
    /// (<see cref="MaxWarmUp"/>, or less where the load generator warms up no longer).
    /// </summary>
    public static Option<double> WarmUp(string description = "seconds of warm-up before measuring", double defaultValue = 1, double max = MaxWarmUp) =>
        Duration("--warmup", description, defaultValue, allowZero: true, max);

    /// <summary><c>--host</c>: measure a server already running there; absent, the bench starts one in its own process.</summary>
    public static Option<string?> Host(string description = "measure a server already running there (default: start one in this process)") =>
        new("--host") { Description = description };

    /// <summary><c>--port</c>: the port of the server given by <see cref="Host"/>, checked like every port argument.</summary>
    public static Option<int> Port(string description = "its port") =>
        new("--port")
        {
            Description = description,
            DefaultValueFactory = _ => CliArguments.DefaultPort,
            CustomParser = result => CliArguments.ParsePort(result, CliArguments.DefaultPort),
        };

    private static Option<int> Whole(string name, string? alias, string description, int defaultValue, int max)
    {
        var option = alias is null ? new Option<int>(name) : new Option<int>(name, alias);
        option.Description = $"{description} (1 to {max.ToString("N0", CultureInfo.InvariantCulture)})";
        option.DefaultValueFactory = _ => defaultValue;
        // A custom parser, so a word and a number out of range get the same plain message.
        option.CustomParser = result =>
        {
            if (result.Tokens.Count == 0)
            {
                return defaultValue;
            }
            string text = result.Tokens[0].Value;
            if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int value) || value < 1 || value > max)
            {
                result.AddError($"{name} must be a whole number from 1 to {max.ToString("N0", CultureInfo.InvariantCulture)}, not '{text}'.");
                return defaultValue;
            }
            return value;
        };
        return option;
    }

    private static Option<double> Duration(string name, string description, double defaultValue, bool allowZero, double max)
    {
        string rule = allowZero ? $"from 0 to {max:0} seconds" : $"more than 0 and at most {max:0} seconds";
        var option = new Option<double>(name)
        {
            Description = $"{description} ({rule})",
            DefaultValueFactory = _ => defaultValue,
        };
        option.CustomParser = result =>
        {
            if (result.Tokens.Count == 0)
            {
                return defaultValue;
            }
            string text = result.Tokens[0].Value;
            if (!double.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double value)
                || value > max || value < 0 || (value == 0 && !allowZero))
            {
                result.AddError($"{name} must be {rule}, not '{text}'.");
                return defaultValue;
            }
            return value;
        };
        return option;
    }
}
