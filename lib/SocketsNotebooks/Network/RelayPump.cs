using System.Net.Sockets;
using SocketsNotebooks.Tracing;

namespace SocketsNotebooks.Network;

/// <summary>
/// One direction of a relayed connection: read what arrives, send it on cut into the relay's pieces
/// (paced by the receiver when it is in the trace), pass the FIN on as a half-close and a reset as a reset.
/// </summary>
internal static class RelayPump
{
    // 16 KiB per direction keeps hundreds of connections cheap; pieces are usually far smaller.
    private const int ReadBufferSize = 16 * 1024;

    /// <summary>Pumps <paramref name="from"/> into <paramref name="to"/> until the FIN, a reset or the relay stopping.</summary>
    public static async Task RunAsync(Relay relay, TracedSocket from, TracedSocket to, ReceiverProgress? receiver, CancellationToken stopping)
    {
        var buffer = new byte[ReadBufferSize];
        var cut = relay.Pieces.NewCutter();
        long forwarded = 0;
        try
        {
            while (true)
            {
                int received = await from.ReceiveAsync(buffer, stopping).ConfigureAwait(false);
                if (received == 0)
                {
                    // FIN: the sender is done; half-close towards the receiver, which may still answer.
                    to.Shutdown(SocketShutdown.Send);
                    return;
                }
                for (int offset = 0; offset < received;)
                {
                    int size = Math.Min(cut(), received - offset);
                    await to.SendAllAsync(buffer.AsMemory(offset, size), stopping).ConfigureAwait(false);
                    offset += size;
                    forwarded += size;
                    if (receiver is not null)
                    {
                        var timeout = relay.PaceTimeout;
                        var paced = await receiver.WaitUntilReadAsync(forwarded, timeout, stopping).ConfigureAwait(false);
                        if (paced != Pace.Read)
                        {
                            to.RecordError(RelayPacing.Note(paced, receiver.Side, timeout));
                        }
                    }
                    if (relay.Delay > TimeSpan.Zero)
                    {
                        await Task.Delay(relay.Delay, stopping).ConfigureAwait(false);
                    }
                }
            }
        }
        catch (SocketException e) when (e.IsPeerReset() && !stopping.IsCancellationRequested)
        {
            // A reset on one side resets the other side too: the relay is as invisible as a router.
            from.Abort(CloseReason.PeerReset, e.SocketErrorCode.ToString());
            to.Abort(CloseReason.PeerReset, "passed on from the other side");
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The relay stopping, or another error on one side (e.g. closed by the other pump): end both sides.
            var reason = stopping.IsCancellationRequested ? CloseReason.Stopped : CloseReason.SocketError;
            from.Abort(reason, stopping.IsCancellationRequested ? null : Relay.Reason(e));
            to.Abort(reason);
        }
    }
}
