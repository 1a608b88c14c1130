using System.Diagnostics;
using SocketsNotebooks.Tracing;

namespace SocketsNotebooks.Troubleshooting;

/// <summary>
/// What <see cref="BufferFiller.Fill"/> did: every <c>send()</c>, and the connection, still open with its
/// buffers full, so the socket table can show where the bytes wait. Dispose to close the client.
/// </summary>
public sealed class BufferFill : IDisposable
{
    internal BufferFill(TracedSocket client, IReadOnlyList<SendAttempt> sends, int serverPort)
    {
        Client = client;
        Sends = sends;
        ServerPort = serverPort;
        ClientPort = client.LocalEndPoint!.Port;
    }

    /// <summary>The client's socket (non-blocking, connected to the silent server).</summary>
    public TracedSocket Client { get; }

    /// <summary>Each <c>send()</c>, in order: a table, and the data of <c>TroubleshootingCharts.Sends</c>.</summary>
    public IReadOnlyList<SendAttempt> Sends { get; }

    /// <summary>Bytes the OS accepted from all the sends: what sits in the two buffers now.</summary>
    public long TotalSent => Sends.Count == 0 ? 0 : Sends[^1].Total;

    /// <summary>The server's port.</summary>
    public int ServerPort { get; }

    /// <summary>The client's own port: it tells the client's row from the server's in the socket table.</summary>
    public int ClientPort { get; }

    /// <summary>The socket table for this connection: the server's row (Recv-Q) and the client's row (Send-Q).</summary>
    public IReadOnlyList<SocketRow> Queues() =>
        SocketTable.Snapshot(ClientPort).Where(r => r.Involves(ServerPort)).ToArray();

    /// <summary>
    /// The two queues right now, from the socket table (Linux only: elsewhere the OS does not report them, and
    /// this returns zeros).
    /// </summary>
    public (int ServerRecvQ, int ClientSendQ) QueueSizes()
    {
        var rows = Queues();
        int recvQ = rows.FirstOrDefault(r => r.LocalPort() == ServerPort)?.RecvQ ?? 0;
        int sendQ = rows.FirstOrDefault(r => r.LocalPort() == ClientPort)?.SendQ ?? 0;
        return (recvQ, sendQ);
    }

    /// <summary>
    /// Tells <paramref name="server"/> to start reading and samples the queues every <paramref name="interval"/> until
    /// it has read everything that was sent (or <paramref name="timeout"/> passes). The first sample is taken before
    /// the server reads. Pass a <paramref name="pauseBetweenReads"/> to slow the reader so the drain is visible.
    /// </summary>
    public async Task<IReadOnlyList<QueueSample>> DrainAsync(SilentServer server, int bufferSize = 64 * 1024,
        TimeSpan? pauseBetweenReads = null, TimeSpan? interval = null, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(server);
        var every = interval ?? TimeSpan.FromMilliseconds(5);
        var limit = timeout ?? TimeSpan.FromSeconds(10);
        long before = server.BytesRead;
        var samples = new List<QueueSample>();
        var clock = Stopwatch.StartNew();
        Sample();
        server.StartReading(bufferSize, pauseBetweenReads);
        var drained = server.WaitForBytesReadAsync(before + TotalSent, limit);
        // Sampling, not synchronising: the OS has no event for "a queue changed", so look at a steady pace.
        while (!drained.IsCompleted)
        {
            await Task.WhenAny(drained, Task.Delay(every)).ConfigureAwait(false);
            Sample();
        }
        await drained.ConfigureAwait(false);
        if (samples[^1].ServerBytesRead < TotalSent)
        {
            Sample(); // The loop's last look began before the last read; this one shows the empty queues.
        }
        return samples;

        void Sample()
        {
            // Bytes read first, queues second: reading the socket table takes a while, and the queues it then
            // shows can only be emptier than at the moment the count was taken, never fuller.
            double ms = Math.Round(clock.Elapsed.TotalMilliseconds, 2);
            long read = server.BytesRead - before;
            var (recvQ, sendQ) = QueueSizes();
            samples.Add(new QueueSample(ms, recvQ, sendQ, read));
        }
    }

    /// <summary>Closes the client's socket.</summary>
    public void Dispose() => Client.Close(CloseReason.Done);
}
