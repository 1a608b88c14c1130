using System.Net.Sockets;
using SocketsNotebooks.Concurrency;

namespace SocketsNotebooks.Tests.Concurrency;

// The notebook's exercise: the reference solution passes, the committed starting point and the
// usual mistakes fail with a reason that names them. Alone, because a blocking handler ties up the
// thread pool that every other test's async server needs.
[Collection(ProcessWideMeasurements.Name)]
public sealed class ConcurrencyExercisesTests
{
    private static async Task Reference(Socket client, CancellationToken stop)
    {
        var buffer = new byte[1024];
        int n;
        while ((n = await client.ReceiveAsync(buffer, SocketFlags.None, stop)) > 0)
        {
            await client.SendAsync(buffer.AsMemory(0, n), SocketFlags.None, stop);
        }
    }

    // The notebook's starting point: notebook 01's loop, blocking, inside an async method.
#pragma warning disable CS1998 // the point: nothing is awaited
    private static async Task Blocking(Socket client, CancellationToken stop)
    {
        var buffer = new byte[1024];
        int n;
        while ((n = client.Receive(buffer)) > 0)
        {
            client.Send(buffer, 0, n, SocketFlags.None);
        }
    }
#pragma warning restore CS1998

    private static async Task WholeBuffer(Socket client, CancellationToken stop)
    {
        var buffer = new byte[1024];
        while (await client.ReceiveAsync(buffer, SocketFlags.None, stop) > 0)
        {
            await client.SendAsync(buffer, SocketFlags.None, stop);
        }
    }

    private static async Task IgnoresFin(Socket client, CancellationToken stop)
    {
        var buffer = new byte[1024];
        while (!stop.IsCancellationRequested)
        {
            int n = await client.ReceiveAsync(buffer, SocketFlags.None, stop);
            await client.SendAsync(buffer.AsMemory(0, n), SocketFlags.None, stop);
        }
    }

    private static Task BlockingOnThePool(Socket client, CancellationToken stop) => Task.Run(() => Blocking(client, stop), stop);

    [Fact]
    public async Task Check_Reference_Passes()
    {
        string verdict = await ConcurrencyExercises.CheckAsyncEcho(Reference);

        Assert.StartsWith("✅", verdict, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_Blank_SaysWhatItThrew()
    {
        string verdict = await ConcurrencyExercises.CheckAsyncEcho((_, _) => throw new NotImplementedException());

        Assert.StartsWith("❌ Your handler threw NotImplementedException", verdict, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_ReturnsAtOnce_SaysItReturnedBeforeEchoing()
    {
        string verdict = await ConcurrencyExercises.CheckAsyncEcho((_, _) => Task.CompletedTask);

        Assert.StartsWith("❌", verdict, StringComparison.Ordinal);
        Assert.Contains("returned before it echoed", verdict, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_BlockingStartingPoint_SaysItBlocks()
    {
        string verdict = await ConcurrencyExercises.CheckAsyncEcho(Blocking);

        Assert.StartsWith("❌", verdict, StringComparison.Ordinal);
        Assert.Contains("blocks the thread", verdict, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_SendsWholeBuffer_SaysSendOnlyWhatCame()
    {
        string verdict = await ConcurrencyExercises.CheckAsyncEcho(WholeBuffer);

        Assert.StartsWith("❌", verdict, StringComparison.Ordinal);
        Assert.Contains("only the bytes this receive returned", verdict, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_IgnoresFin_SaysReturnOnZero()
    {
        string verdict = await ConcurrencyExercises.CheckAsyncEcho(IgnoresFin);

        Assert.StartsWith("❌", verdict, StringComparison.Ordinal);
        Assert.Contains("returns 0", verdict, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_BlockingInsideTaskRun_SaysThreadsRunOut()
    {
        string verdict = await ConcurrencyExercises.CheckAsyncEcho(BlockingOnThePool);

        Assert.StartsWith("❌", verdict, StringComparison.Ordinal);
        Assert.Contains("thread pool", verdict, StringComparison.Ordinal);
    }
}
