using SocketsNotebooks.Concurrency;
using SocketsNotebooks.Hosting;
using SocketsNotebooks.Selectors;

namespace SocketsNotebooks.Tests.Concurrency;

// Threads, memory and the thread pool are the whole process's: nothing else may run meanwhile.
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessWideMeasurements
{
    public const string Name = "process-wide measurements";
}

[Collection(ProcessWideMeasurements.Name)]
public sealed class MeasurementsTests
{
    [Fact]
    public void SelectCost_TwoCounts_OneSamplePerSelectorAndCount()
    {
        var samples = SelectCost.Measure([1, 20], TimeSpan.FromMilliseconds(5));

        int selectors = EpollSelector.IsSupported ? 2 : 1;
        Assert.Equal(2 * selectors, samples.Count);
        Assert.Equal([1, 20], samples.Select(s => s.Sockets).Distinct());
        Assert.All(samples, s => Assert.True(s.Calls > 0 && s.MicrosecondsPerCall > 0, s.ToString()));
    }

    [Fact]
    public void SelectCost_OutOfBounds_Refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => SelectCost.Measure([0]));
        Assert.Throws<ArgumentOutOfRangeException>(() => SelectCost.Measure([SelectCost.MaxSockets + 1]));
    }

    [Fact]
    public async Task ConnectionCost_Threads_AThreadPerConnection_AsyncNot()
    {
        // Async first: the hundred threads of the other server end as it stops, and the kernel drops them from
        // the process's count a moment after Join returns; measured after it, async once showed -15 threads.
        var tasks = await ConnectionCost.MeasureAsync(ConcurrencyModel.Async, [100]);
        var threads = await ConnectionCost.MeasureAsync(ConcurrencyModel.Threads, [100]);

        Assert.Equal([0, 100], threads.Select(s => s.Connections));
        Assert.Equal(0, threads[0].ThreadsAdded);
        // A hundred threads parked in recv(); the thread pool may grow or shrink by a few meanwhile.
        Assert.InRange(threads[1].ThreadsAdded, 90, 110);
        Assert.InRange(tasks[1].ThreadsAdded, -10, 10);
        Assert.True(threads[1].VirtualBytesAdded > tasks[1].VirtualBytesAdded, "each thread reserves a stack");
        Assert.DoesNotContain(BackgroundServer.Running, n => n.StartsWith("connection-cost", StringComparison.Ordinal));
    }

    [Fact]
    public void ConnectionCost_Blocking_Refused() =>
        Assert.Throws<ArgumentException>(() => ConnectionCost.Measure(ConcurrencyModel.Blocking));

    [Fact]
    public async Task ProcessThreads_AfterAnAsyncEcho_TheRuntimesSocketThreadIsNamed()
    {
        var server = AsyncEchoServer.Start(name: nameof(ProcessThreads_AfterAnAsyncEcho_TheRuntimesSocketThreadIsNamed));
        try
        {
            await EchoLoad.RunAsync(server.EndPoint, 1, TimeSpan.FromMilliseconds(20));
        }
        finally
        {
            server.Stop();
        }

        var names = ProcessThreads.ByName();

        Assert.True(ProcessThreads.Count > 1);
        if (OperatingSystem.IsLinux())
        {
            // The thread(s) that wait in epoll for every socket with a pending async call: one on a
            // small machine, a few on a big one.
            Assert.InRange(names.GetValueOrDefault(".NET Sockets"), 1, Environment.ProcessorCount);
        }
        else
        {
            Assert.Empty(names);
        }
    }

    [Fact]
    public async Task Bench_TwoModelsTwoCounts_InterleavedByConnections()
    {
        var results = await ConcurrencyBench.RunAsync([ConcurrencyModel.Async, ConcurrencyModel.Threads], [1, 3], TimeSpan.FromMilliseconds(50));

        Assert.Equal(
            [(1, "async/await"), (1, "thread per connection"), (3, "async/await"), (3, "thread per connection")],
            results.Select(r => (r.Connections, r.Model)));
        Assert.All(results, r => Assert.Equal(0, r.Mismatches));
        Assert.DoesNotContain(BackgroundServer.Running, n => n.StartsWith("bench-", StringComparison.Ordinal));
    }
}
