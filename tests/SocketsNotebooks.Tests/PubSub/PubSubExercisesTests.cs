using SocketsNotebooks.PubSub;
using SocketsNotebooks.Tracing;

namespace SocketsNotebooks.Tests.PubSub;

public sealed class PubSubExercisesTests
{
    [Theory]
    [InlineData(new[] { "1000" }, "✅", "single prefix '1000'")]
    [InlineData(new[] { "10001", "10003" }, "✅", "2 subscriptions")]
    [InlineData(new[] { "100" }, "❌", "from 10010, 10021")]
    [InlineData(new[] { "10001" }, "❌", "none at all from 10003")]
    [InlineData(new string[0], "❌", "No subscriptions")]
    public async Task CheckDowntownFilter_LiveRun_SaysWhy(string[] prefixes, string verdict, string reason)
    {
        var trace = new Trace();
        var broker = Broker.Start(trace, name: nameof(CheckDowntownFilter_LiveRun_SaysWhy));
        try
        {
            var attempt = await PubSubExercises.TryFilterAsync(broker.EndPoint, prefixes, trace).WaitAsync(TimeSpan.FromSeconds(15));

            string check = PubSubExercises.CheckDowntownFilter(attempt);

            Assert.StartsWith(verdict, check, StringComparison.Ordinal);
            Assert.Contains(reason, check, StringComparison.Ordinal);
        }
        finally
        {
            broker.Stop();
        }
    }

    [Fact]
    public void CheckDowntownFilter_OutOfOrder_Fails()
    {
        var published = new WeatherUpdate[] { new("10001", 1, 10), new("10003", 2, 20) };
        var received = new PubSubMessage[] { new("10003", "2 20", 0), new("10001", "1 10", 0) };

        string check = PubSubExercises.CheckDowntownFilter(new FilterAttempt(["1000"], published, received));

        Assert.StartsWith("❌", check, StringComparison.Ordinal);
        Assert.Contains("order", check, StringComparison.Ordinal);
    }
}
