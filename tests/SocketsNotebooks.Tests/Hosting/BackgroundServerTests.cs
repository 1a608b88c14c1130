using SocketsNotebooks.Echo;
using SocketsNotebooks.Hosting;
using SocketsNotebooks.Tracing;

namespace SocketsNotebooks.Tests.Hosting;

public sealed class BackgroundServerTests
{
    [Fact]
    public void Start_SameNameFromManyThreads_ExactlyOneStaysRunningAndRegistered()
    {
        string name = $"{nameof(BackgroundServerTests)}-{Guid.NewGuid():N}";
        var trace = new Trace();
        // Real threads released together by a barrier, so the starts really overlap.
        const int Starters = 16;
        var servers = new EchoServer[Starters];
        using var together = new Barrier(Starters);
        var threads = Enumerable.Range(0, Starters).Select(i => new Thread(() =>
        {
            together.SignalAndWait();
            servers[i] = EchoServer.Start(trace, name);
        })).ToArray();
        foreach (var thread in threads)
        {
            thread.Start();
        }
        Assert.All(threads, thread => Assert.True(thread.Join(TimeSpan.FromSeconds(30))));
        try
        {
            Assert.Single(servers, s => s.IsRunning);
            Assert.Single(BackgroundServer.Running, n => n == name);
        }
        finally
        {
            foreach (var server in servers)
            {
                server.Stop();
            }
        }
        Assert.DoesNotContain(name, BackgroundServer.Running);
    }
}
