using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace SocketsNotebooks.PubSub;

/// <summary>
/// One weather update of the example in the original notes: <c>&lt;zipcode&gt; &lt;temperature&gt; &lt;humidity&gt;</c>,
/// e.g. <c>10001 23 45</c>. It travels with the zipcode as its topic, so a subscriber picks a city
/// (or a whole area, by a shorter prefix) with one subscription.
/// </summary>
/// <param name="Zipcode">Where it was measured; the topic.</param>
/// <param name="Temperature">Degrees Celsius.</param>
/// <param name="RelativeHumidity">Per cent.</param>
public sealed record WeatherUpdate(string Zipcode, int Temperature, int RelativeHumidity)
{
    /// <summary>The payload published on the zipcode's topic: <c>23 45</c>.</summary>
    public string Payload => string.Create(CultureInfo.InvariantCulture, $"{Temperature} {RelativeHumidity}");

    /// <summary>Reads an update from a delivered message; false if its payload is not two integers.</summary>
    public static bool TryParse(PubSubMessage message, [NotNullWhen(true)] out WeatherUpdate? update)
    {
        ArgumentNullException.ThrowIfNull(message);
        update = null;
        string[] words = message.Payload.Split(' ');
        if (words.Length != 2
            || !int.TryParse(words[0], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int temperature)
            || !int.TryParse(words[1], NumberStyles.None, CultureInfo.InvariantCulture, out int humidity))
        {
            return false;
        }
        update = new WeatherUpdate(message.Topic, temperature, humidity);
        return true;
    }

    /// <summary>Reads an update from a delivered message; throws <see cref="FormatException"/> if it is not one.</summary>
    public static WeatherUpdate Parse(PubSubMessage message) =>
        TryParse(message, out var update) ? update : throw new FormatException($"Not a weather update: '{message}'.");

    /// <inheritdoc/>
    public override string ToString() => $"{Zipcode} {Payload}";
}
