using System.Diagnostics;
using System.Net.Sockets;

namespace SocketsNotebooks.Inside;

/// <summary>
/// Nagle's algorithm meets delayed ACK: a client writes each request as two small <c>send()</c>s and then reads
/// the reply; the server answers only once the whole request is there. With Nagle on (the default) the second
/// half waits until the first is acknowledged, and the server's kernel holds that ACK back hoping to send it
/// with data, which never comes: a pause of tens of milliseconds per request. <c>NoDelay</c> sends at once.
/// </summary>
public static class NagleExperiment
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Times <paramref name="requests"/> requests of <paramref name="requestSize"/> bytes (two halves) and
    /// <paramref name="replySize"/>-byte replies on a fresh loopback connection, first with <c>NoDelay</c> off, then on.
    /// </summary>
    public static NagleRun Run(int requests = 20, int requestSize = 200, int replySize = 100)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(requests, 1, nameof(requests));
        ArgumentOutOfRangeException.ThrowIfLessThan(requestSize, 2, nameof(requestSize));
        ArgumentOutOfRangeException.ThrowIfLessThan(replySize, 1, nameof(replySize));
        var samples = new List<NagleSample>();
        foreach (bool noDelay in new[] { false, true })
        {
            samples.AddRange(Connection(noDelay, requests, requestSize, replySize));
        }
        return new NagleRun(samples, requestSize, replySize);
    }

    private static List<NagleSample> Connection(bool noDelay, int requests, int requestSize, int replySize)
    {
        using var listener = LadderDemos.Listener(null);
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        client.Connect(listener.LocalEndPoint!);
        using var server = listener.Accept();
        client.NoDelay = noDelay;
        client.ReceiveTimeout = server.ReceiveTimeout = (int)s_timeout.TotalMilliseconds;
        // The server: read a whole request, answer it, until the client closes.
        var serving = Task.Run(() =>
        {
            var reply = new byte[replySize];
            for (int i = 0; i < requests; i++)
            {
                ReceiveExactly(server, requestSize);
                server.Send(reply);
            }
        });
        var request = new byte[requestSize];
        int half = requestSize / 2;
        var samples = new List<NagleSample>();
        for (int i = 1; i <= requests; i++)
        {
            var clock = Stopwatch.StartNew();
            client.Send(request.AsSpan(0, half));
            client.Send(request.AsSpan(half));
            ReceiveExactly(client, replySize);
            samples.Add(new NagleSample(noDelay, i, Math.Round(clock.Elapsed.TotalMilliseconds, 3)));
        }
        serving.Wait(s_timeout);
        return samples;
    }

    /// <summary>Reads exactly <paramref name="count"/> bytes (a peer that closes early throws).</summary>
    internal static void ReceiveExactly(Socket socket, int count)
    {
        var buffer = new byte[count];
        for (int got = 0; got < count;)
        {
            int read = socket.Receive(buffer, got, count - got, SocketFlags.None);
            if (read == 0)
            {
                throw new SocketException((int)SocketError.ConnectionReset); // FIN before the whole message
            }
            got += read;
        }
    }
}
