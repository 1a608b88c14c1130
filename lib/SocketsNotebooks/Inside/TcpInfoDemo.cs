using System.Net.Sockets;

namespace SocketsNotebooks.Inside;

/// <summary>
/// Notebook 07's first TCP_INFO chart: a client sends a few MiB to a server that does not read for a while and
/// then reads it all slowly, 32 KiB at a time with a short pause after each read (notebook 04's drain); a <see cref="TcpInfoSampler"/> watches the client's side the whole time. It needs no
/// privileges: TCP_INFO is readable by the socket's owner.
/// </summary>
public static class TcpInfoDemo
{
    /// <summary>
    /// Sends <paramref name="bytes"/> bytes (blocking, from a background task) while the server waits
    /// <paramref name="pause"/> before reading and <paramref name="pauseBetweenReads"/> after each 32 KiB read (those
    /// waits are the experiment: a reader that is busy elsewhere), sampling the client's TCP_INFO every
    /// <paramref name="interval"/> (default 1 ms). Returns the samples.
    /// </summary>
    public static async Task<IReadOnlyList<TcpInfoSample>> SlowReaderAsync(int bytes = 2 * 1024 * 1024, TimeSpan? pause = null,
        TimeSpan? pauseBetweenReads = null, TimeSpan? interval = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bytes, 1, nameof(bytes));
        using var listener = LadderDemos.Listener(null);
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        client.Connect(listener.LocalEndPoint!);
        using var server = listener.Accept();
        client.SendTimeout = server.ReceiveTimeout = 10_000;
        var sampler = TcpInfoSampler.Start(client, interval ?? TimeSpan.FromMilliseconds(1));
        try
        {
            var sending = Task.Run(() =>
            {
                var data = new byte[bytes];
                for (int sent = 0; sent < bytes;)
                {
                    sent += client.Send(data, sent, bytes - sent, SocketFlags.None);
                }
            });
            await Task.Delay(pause ?? TimeSpan.FromMilliseconds(50)).ConfigureAwait(false);
            var between = pauseBetweenReads ?? TimeSpan.FromMilliseconds(1);
            var buffer = new byte[32 * 1024];
            for (long read = 0; read < bytes;)
            {
                int got = server.Receive(buffer);
                if (got == 0)
                {
                    break; // FIN: the client gave up early (its send timed out)
                }
                read += got;
                await Task.Delay(between).ConfigureAwait(false);
            }
            await sending.WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
            sampler.Take(); // everything is acknowledged now
            return sampler.Stop();
        }
        finally
        {
            sampler.Dispose();
        }
    }
}
