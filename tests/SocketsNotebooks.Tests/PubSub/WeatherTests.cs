using SocketsNotebooks.PubSub;
using SocketsNotebooks.Tracing;

namespace SocketsNotebooks.Tests.PubSub;

public sealed class WeatherTests
{
    [Fact]
    public void Updates_SameSeed_SameUpdatesWithinRanges()
    {
        var first = WeatherStation.Updates(500, seed: 3);
        var again = WeatherStation.Updates(500, seed: 3);

        Assert.Equal(first, again);
        Assert.All(first, u => Assert.Contains(u.Zipcode, WeatherStation.Zipcodes));
        Assert.All(first, u => Assert.InRange(u.RelativeHumidity, 10, 60));
        Assert.All(first, u => Assert.InRange(u.Temperature, -10, 30));
    }

    [Theory]
    [InlineData("10001", "23 45", 23, 45)]
    [InlineData("60601", "-4 80", -4, 80)]
    public void TryParse_Payload_TemperatureAndHumidity(string zipcode, string payload, int temperature, int humidity)
    {
        Assert.True(WeatherUpdate.TryParse(new PubSubMessage(zipcode, payload, 0), out var update));

        Assert.Equal(new WeatherUpdate(zipcode, temperature, humidity), update);
        Assert.Equal($"{zipcode} {payload}", update.ToString());
    }

    [Theory]
    [InlineData("23")]
    [InlineData("23 45 67")]
    [InlineData("warm humid")]
    public void TryParse_NotTwoNumbers_False(string payload) =>
        Assert.False(WeatherUpdate.TryParse(new PubSubMessage("10001", payload, 0), out _));

    [Fact]
    public void ReportOf_Updates_Averages()
    {
        var report = WeatherReport.Of([new("10001", 10, 40), new("10003", 14, 50), new("10001", 15, 30)]);

        Assert.Equal(3, report.Updates);
        Assert.Equal(["10001", "10003"], report.Zipcodes);
        Assert.Equal(13, report.AverageTemperature);
        Assert.Equal(40, report.AverageHumidity);
    }

    [Fact]
    public async Task AverageAsync_SubscriberToOneZipcode_AveragesOnlyThatZipcode()
    {
        var trace = new Trace();
        var broker = Broker.Start(trace, name: nameof(AverageAsync_SubscriberToOneZipcode_AveragesOnlyThatZipcode));
        var subscriber = await Subscriber.ConnectAsync(broker.EndPoint, trace);
        try
        {
            await subscriber.SubscribeAsync("10001");
            var updates = WeatherStation.Updates(400, seed: 11);
            using (var publisher = await Publisher.ConnectAsync(broker.EndPoint, trace))
            {
                WeatherStation.Publish(publisher, updates);
            }

            var report = await WeatherReport.AverageAsync(subscriber, 20, TimeSpan.FromSeconds(10));

            var expected = WeatherReport.Of(updates.Where(u => u.Zipcode == "10001").Take(20).ToArray());
            Assert.Equal(expected, report with { Zipcodes = expected.Zipcodes });
            Assert.Equal(["10001"], report.Zipcodes);
        }
        finally
        {
            subscriber.Close();
            broker.Stop();
        }
    }
}
