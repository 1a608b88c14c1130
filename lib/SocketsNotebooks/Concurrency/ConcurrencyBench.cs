namespace SocketsNotebooks.Concurrency;

/// <summary>
/// Every model against the same closed-loop load, side by side: for each number of connections, each
/// model's server is started (untraced), measured with <see cref="EchoLoad"/> and stopped, so the
/// models take turns and a busy moment of the machine does not fall on one model only.
/// </summary>
public static class ConcurrencyBench
{
    /// <summary>
    /// Runs <paramref name="models"/> (default: all) at each of <paramref name="connections"/> (default
    /// 1, 10, 100, 1,000) with <paramref name="size"/>-byte requests, each measured for
    /// <paramref name="duration"/> (default 1 s) plus <paramref name="perConnection"/> for every
    /// connection, after a warm-up of at most <paramref name="warmup"/>. Reports each result to
    /// <paramref name="progress"/> as it comes. The results carry the model's label.
    /// </summary>
    /// <remarks>
    /// With one request in flight per connection, a connection's round trip takes longer the more
    /// connections share the server, so in a fixed window each of 1,000 connections completes only a
    /// few; <paramref name="perConnection"/> (e.g. 0.15 ms: 150 ms more at 1,000) keeps a short
    /// window long enough at the big counts without lengthening the small ones.
    /// </remarks>
    public static async Task<IReadOnlyList<EchoLoadResult>> RunAsync(IReadOnlyList<ConcurrencyModel>? models = null,
        IReadOnlyList<int>? connections = null, TimeSpan? duration = null, TimeSpan? warmup = null, int size = 1024,
        IProgress<EchoLoadResult>? progress = null, TimeSpan? perConnection = null)
    {
        var results = new List<EchoLoadResult>();
        await Settle(models?.FirstOrDefault() ?? ConcurrencyModel.Async, size).ConfigureAwait(false);
        foreach (int count in connections ?? [1, 10, 100, 1000])
        {
            foreach (var model in models ?? EchoModels.All)
            {
                var server = EchoModels.Start(model, name: $"bench-{model.ToString().ToLowerInvariant()}");
                try
                {
                    var window = (duration ?? TimeSpan.FromSeconds(1)) + count * (perConnection ?? TimeSpan.Zero);
                    var result = await EchoLoad.RunAsync(server.EndPoint, count, window, size, warmup, EchoModels.Label(model)).ConfigureAwait(false);
                    results.Add(result);
                    progress?.Report(result);
                }
                finally
                {
                    server.Stop();
                }
            }
        }
        return results;
    }

    // One short run whose numbers are thrown away. The runtime compiles a method quickly first and
    // again, optimised, once it is hot, on a thread of its own; without this, that work lands in the
    // first measured point and makes it look slow.
    private static async Task Settle(ConcurrencyModel model, int size)
    {
        var server = EchoModels.Start(model, name: "bench-settle");
        try
        {
            await EchoLoad.RunAsync(server.EndPoint, 1, TimeSpan.FromMilliseconds(30), size, TimeSpan.Zero).ConfigureAwait(false);
        }
        finally
        {
            server.Stop();
        }
    }
}
