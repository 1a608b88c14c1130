using SocketsNotebooks.Tracing;
using SocketsNotebooks.Troubleshooting;
using Xunit.Abstractions;

namespace SocketsNotebooks.Tests.Troubleshooting;

public sealed class BufferFillerTests(ITestOutputHelper log)
{
    [Fact]
    public void Fill_ServerNeverReads_SendsStopWithWouldBlockAndTotalGoesFlat()
    {
        var trace = new Trace();
        using var server = SilentServer.Start(trace, nameof(Fill_ServerNeverReads_SendsStopWithWouldBlockAndTotalGoesFlat));
        using var fill = BufferFiller.Fill(trace, server.EndPoint, chunkSize: 64 * 1024, triesAfterFull: 3);
        log.WriteLine($"{fill.Sends.Count} sends, {fill.TotalSent:N0} bytes, queues {fill.QueueSizes()}");

        Assert.Equal(["WouldBlock", "WouldBlock", "WouldBlock"], fill.Sends.TakeLast(3).Select(s => s.Result));
        Assert.Equal("ok", fill.Sends[0].Result);
        Assert.Equal(fill.Sends.Sum(s => (long)s.Accepted), fill.TotalSent);
        Assert.True(fill.TotalSent > 64 * 1024, "the buffers hold more than one chunk");
        Assert.Equal(fill.TotalSent, fill.Sends.TakeLast(3).Select(s => s.Total).Distinct().Single());
    }

    [Fact]
    public void Fill_ServerNeverReads_BytesWaitInServerRecvQAndClientSendQ()
    {
        if (!SocketTable.HasQueues)
        {
            return; // Queue sizes come from /proc/net/tcp (Linux).
        }
        var trace = new Trace();
        using var server = SilentServer.Start(trace, nameof(Fill_ServerNeverReads_BytesWaitInServerRecvQAndClientSendQ));
        using var fill = BufferFiller.Fill(trace, server.EndPoint);

        var (recvQ, sendQ) = fill.QueueSizes();
        log.WriteLine($"total {fill.TotalSent:N0}: server Recv-Q {recvQ:N0}, client Send-Q {sendQ:N0}");

        Assert.True(recvQ > 0, "bytes wait in the server's receive buffer");
        Assert.True(sendQ > 0, "bytes wait in the client's send buffer");
        // Every accepted byte is in one of the two: acknowledged into the server's buffer, or not yet sent on.
        // The two rows are read a moment apart while the kernel may still be packing the receive queue, so a
        // segment or so can be between them.
        Assert.InRange(recvQ + sendQ, fill.TotalSent - (64 * 1024), fill.TotalSent);
    }

    [Fact]
    public async Task DrainAsync_ServerStartsReading_QueuesEmptyAndEveryByteRead()
    {
        var trace = new Trace();
        using var server = SilentServer.Start(trace, nameof(DrainAsync_ServerStartsReading_QueuesEmptyAndEveryByteRead));
        using var fill = BufferFiller.Fill(trace, server.EndPoint);

        var samples = await fill.DrainAsync(server, timeout: TimeSpan.FromSeconds(5));
        log.WriteLine(string.Join("\n", samples));

        Assert.Equal(fill.TotalSent, server.BytesRead);
        Assert.Equal(0, samples[0].ServerBytesRead);
        Assert.Equal(fill.TotalSent, samples[^1].ServerBytesRead);
        if (SocketTable.HasQueues)
        {
            Assert.True(samples[0].ServerRecvQ > 0);
            Assert.Equal(0, samples[^1].ServerRecvQ);
        }
    }
}
