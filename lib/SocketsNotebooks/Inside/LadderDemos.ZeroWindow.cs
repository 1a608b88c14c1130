using System.Net.Sockets;

namespace SocketsNotebooks.Inside;

public static partial class LadderDemos
{
    /// <summary>
    /// The receive buffer the silent server asks for, and the client's send buffer (Linux doubles both): a window
    /// of a few pieces. Smaller buffers make the receiving kernel drop segments it has no memory for, and the
    /// ladder fills with retransmissions that belong to another story.
    /// </summary>
    public const int SmallBuffer = 8192;

    /// <summary>Bytes handed to each <c>send()</c> of the zero-window demo.</summary>
    public const int PieceSize = 2000;

    /// <summary>
    /// Notebook 04's full buffers, small: the server asks for a <see cref="SmallBuffer"/>-byte receive buffer and
    /// does not read; the client sends <see cref="PieceSize"/>-byte pieces without blocking until the OS says WouldBlock. The window
    /// shrinks to zero, the client's kernel probes it, the server then reads everything (the window reopens:
    /// the update), the rest flows, and both close.
    /// </summary>
    public static async Task<LadderRun> ZeroWindowAsync(string? pcapFolder = null, bool? live = null)
    {
        const string title = "full buffers: the window closes, is probed, and opens again";
        if (!(live ?? Rights.CanCapture))
        {
            return Recorded(title, Recordings.ZeroWindow);
        }
        using var listener = Listener(SmallBuffer);
        int port = ((System.Net.IPEndPoint)listener.LocalEndPoint!).Port;
        var capture = SegmentCapture.Start(port);
        try
        {
            using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { SendBufferSize = SmallBuffer };
            client.Connect(listener.LocalEndPoint!);
            using var server = listener.Accept();
            server.ReceiveTimeout = (int)s_timeout.TotalMilliseconds;
            client.Blocking = false;
            long sent = 0;
            var piece = new byte[PieceSize];
            for (int i = 0; i < 1000; i++)
            {
                try
                {
                    sent += client.Send(piece);
                }
                catch (SocketException e) when (e.SocketErrorCode == SocketError.WouldBlock)
                {
                    break; // both buffers are full: what is left waits for the window
                }
            }
            // The persist timer: the client's kernel asks the closed window again after about one RTO (200 ms or more).
            await capture.WaitForAsync(s => Ladder.From(s).Rungs.Any(r => r.Note.StartsWith("window probe", StringComparison.Ordinal)), s_timeout)
                .ConfigureAwait(false);
            var buffer = new byte[64 * 1024];
            for (long read = 0; read < sent;)
            {
                read += server.Receive(buffer);
            }
            client.Shutdown(SocketShutdown.Send);
            while (server.Receive(buffer) > 0)
            {
                // FIN: read until the client's end of stream
            }
            server.Close();
            await capture.WaitForAsync(ClosedBothWays, s_timeout).ConfigureAwait(false);
            string path = PcapPath(pcapFolder, "zero-window");
            return Live(title, Ladder.From(capture.Stop(path)), path, [$"the client's send() calls took {sent:N0} bytes before WouldBlock"]);
        }
        finally
        {
            capture.Stop();
        }
    }
}
