using System.Net;
using System.Net.Sockets;
using SocketsNotebooks.Tracing;

namespace SocketsNotebooks.Troubleshooting;

/// <summary>
/// The client half of the full-buffers demo: connects to a server that does not read (a <see cref="SilentServer"/>),
/// makes its socket non-blocking, and sends until the OS says WouldBlock, recording how much each <c>send()</c> took.
/// </summary>
public static class BufferFiller
{
    /// <summary>
    /// Fills the buffers between a client and <paramref name="server"/>. After the first WouldBlock it waits (at most
    /// <paramref name="waitAfterFull"/> each time, for the socket to become writable again) and tries again, until
    /// <paramref name="triesAfterFull"/> WouldBlocks in a row: Linux sometimes squeezes the waiting bytes together and
    /// takes a little more, and the flat end of the running total shows that it has stopped for good.
    /// </summary>
    /// <param name="trace">Records each send (and each WouldBlock as an error event).</param>
    /// <param name="server">Where to connect: a server that accepts but does not read.</param>
    /// <param name="chunkSize">Bytes handed to each <c>send()</c>.</param>
    /// <param name="triesAfterFull">WouldBlocks in a row after which the buffers count as full.</param>
    /// <param name="waitAfterFull">The longest wait for writability after a WouldBlock (default 20 ms).</param>
    /// <param name="maxSends">A bound on the number of calls, whatever the buffer sizes.</param>
    public static BufferFill Fill(Trace trace, IPEndPoint server, int chunkSize = 64 * 1024, int triesAfterFull = 3,
        TimeSpan? waitAfterFull = null, int maxSends = 10_000)
    {
        ArgumentNullException.ThrowIfNull(server);
        ArgumentOutOfRangeException.ThrowIfLessThan(chunkSize, 1, nameof(chunkSize));
        var wait = waitAfterFull ?? TimeSpan.FromMilliseconds(20);
        var client = TracedSocket.Tcp(trace, Side.Client, server.AddressFamily);
        try
        {
            client.Connect(server);
            client.Blocking = false;
            var chunk = new byte[chunkSize];
            Array.Fill(chunk, (byte)'x');
            var sends = new List<SendAttempt>();
            long total = 0;
            int wouldBlocksInARow = 0;
            for (int call = 1; call <= maxSends && wouldBlocksInARow < triesAfterFull; call++)
            {
                try
                {
                    int accepted = client.Send(chunk);
                    total += accepted;
                    wouldBlocksInARow = 0;
                    sends.Add(new SendAttempt(call, chunkSize, accepted, total, accepted == chunkSize ? "ok" : "partial"));
                }
                catch (SocketException e) when (e.SocketErrorCode == SocketError.WouldBlock)
                {
                    // Python raises BlockingIOError here; the bytes were not taken, nothing is lost.
                    wouldBlocksInARow++;
                    sends.Add(new SendAttempt(call, chunkSize, 0, total, "WouldBlock"));
                    client.Socket.Poll(wait, SelectMode.SelectWrite);
                }
            }
            return new BufferFill(client, sends, server.Port);
        }
        catch (Exception e)
        {
            client.Close(CloseReason.SocketError, $"{e.GetType().Name}: {e.Message}");
            throw;
        }
    }
}
