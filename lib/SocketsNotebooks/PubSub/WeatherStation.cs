namespace SocketsNotebooks.PubSub;

/// <summary>
/// The publisher of the weather example: made-up but plausible updates for a handful of zipcodes,
/// from a seeded random generator so a notebook's run is repeatable.
/// </summary>
public static class WeatherStation
{
    // A typical temperature per zipcode, so an average over a city's updates means something.
    private static readonly Dictionary<string, int> s_typical = new()
    {
        ["10001"] = 12, // New York, Chelsea
        ["10003"] = 13, // New York, East Village
        ["10010"] = 12, // New York, Gramercy
        ["10021"] = 11, // New York, Upper East Side
        ["11201"] = 13, // Brooklyn Heights
        ["20001"] = 15, // Washington, DC
        ["60601"] = 9,  // Chicago
        ["94103"] = 16, // San Francisco
    };

    /// <summary>The zipcodes the station reports from.</summary>
    public static IReadOnlyList<string> Zipcodes { get; } = [.. s_typical.Keys];

    /// <summary>
    /// <paramref name="count"/> updates, each from a zipcode picked at random from <paramref name="zipcodes"/>
    /// (default <see cref="Zipcodes"/>): the zipcode's typical temperature ± 6 °C and a humidity of 10–60 %.
    /// </summary>
    public static IReadOnlyList<WeatherUpdate> Updates(int count, int seed = 1, IReadOnlyList<string>? zipcodes = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        zipcodes ??= Zipcodes;
        if (zipcodes.Count == 0 || zipcodes.Any(z => !PubSubCommand.IsTopic(z)))
        {
            throw new ArgumentException("Give at least one zipcode, each one word.", nameof(zipcodes));
        }
        var random = new Random(seed);
        var updates = new WeatherUpdate[count];
        for (int i = 0; i < count; i++)
        {
            string zipcode = zipcodes[random.Next(zipcodes.Count)];
            int typical = s_typical.TryGetValue(zipcode, out int t) ? t : 10;
            updates[i] = new WeatherUpdate(zipcode, typical + random.Next(-6, 7), random.Next(10, 61));
        }
        return updates;
    }

    /// <summary>Publishes the updates, each on its zipcode's topic, in one <c>sendall()</c>.</summary>
    public static void Publish(Publisher publisher, IEnumerable<WeatherUpdate> updates)
    {
        ArgumentNullException.ThrowIfNull(publisher);
        ArgumentNullException.ThrowIfNull(updates);
        publisher.Publish(updates.Select(u => (u.Zipcode, u.Payload)));
    }
}
