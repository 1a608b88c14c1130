namespace SocketsNotebooks.PubSub;

/// <summary>What a weather subscriber worked out from the updates it received.</summary>
/// <param name="Updates">How many updates it averaged.</param>
/// <param name="Zipcodes">The zipcodes they came from, sorted.</param>
/// <param name="AverageTemperature">Mean temperature, °C.</param>
/// <param name="AverageHumidity">Mean relative humidity, %.</param>
public sealed record WeatherReport(int Updates, IReadOnlyList<string> Zipcodes, double AverageTemperature, double AverageHumidity)
{
    /// <summary>Averages a list of updates.</summary>
    public static WeatherReport Of(IReadOnlyList<WeatherUpdate> updates)
    {
        ArgumentNullException.ThrowIfNull(updates);
        if (updates.Count == 0)
        {
            return new WeatherReport(0, [], double.NaN, double.NaN);
        }
        return new WeatherReport(updates.Count, updates.Select(u => u.Zipcode).Distinct().Order(StringComparer.Ordinal).ToArray(),
            Math.Round(updates.Average(u => u.Temperature), 2), Math.Round(updates.Average(u => u.RelativeHumidity), 2));
    }

    /// <summary>
    /// The weather client of the original notes: take the next <paramref name="updates"/> updates this
    /// subscriber receives (waiting at most <paramref name="timeout"/>) and average them.
    /// </summary>
    public static async Task<WeatherReport> AverageAsync(Subscriber subscriber, int updates, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(subscriber);
        var messages = await subscriber.ReceiveAsync(updates, timeout).ConfigureAwait(false);
        return Of(messages.Select(WeatherUpdate.Parse).ToArray());
    }

    /// <inheritdoc/>
    public override string ToString() =>
        $"{Updates} updates from {string.Join(", ", Zipcodes)}: average {AverageTemperature:0.0} °C, {AverageHumidity:0.0} % humidity";
}
