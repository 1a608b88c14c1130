using System.Text;
using SocketsNotebooks.Tracing;

namespace SocketsNotebooks.Troubleshooting;

/// <summary>
/// Half-close: the client calls <c>Shutdown(Send)</c> after its request ("I am done talking"), the server
/// reads until <c>recv()</c> returns 0, and still answers on the same connection, which the client reads
/// before the final close. The tutorial's "closing connections" reference, run live.
/// </summary>
/// <param name="ServerReceived">The request as the server read it, Python-style.</param>
/// <param name="ServerLastRecv">Bytes returned by the server's last <c>recv()</c>: 0 is the client's FIN.</param>
/// <param name="ClientReceived">The answer as the client read it after its own shutdown, Python-style.</param>
public sealed record HalfClose(string ServerReceived, int ServerLastRecv, string ClientReceived)
{
    /// <summary>
    /// Runs the exchange on 127.0.0.1 (one thread: each step's data is already in the kernel when the next step reads).
    /// The server answers <paramref name="answer"/>, or by default how many bytes it got before the FIN.
    /// </summary>
    public static HalfClose Run(Trace trace, string request = "Hello, world", string? answer = null)
    {
        using var listener = ErrorDemos.Listen(trace);
        using var client = ErrorDemos.Connect(trace, listener);
        using var server = listener.Accept();
        int timeoutMs = (int)ErrorDemos.CallTimeout.TotalMilliseconds;
        client.ReceiveTimeout = timeoutMs;
        server.ReceiveTimeout = timeoutMs;

        client.SendAll(Encoding.UTF8.GetBytes(request));
        client.Shutdown(System.Net.Sockets.SocketShutdown.Send);

        var (received, last) = ReadToEnd(server);
        server.SendAll(Encoding.UTF8.GetBytes(answer ?? $"got {received.Length} bytes, then your FIN"));
        server.Close(CloseReason.Answered);

        var (answered, _) = ReadToEnd(client);
        return new HalfClose(PythonBytes.Repr(received), last, PythonBytes.Repr(answered));
    }

    private static (byte[] Data, int LastRecv) ReadToEnd(TracedSocket socket)
    {
        var data = new MemoryStream();
        var buffer = new byte[1024];
        int received;
        while ((received = socket.Receive(buffer)) > 0)
        {
            data.Write(buffer, 0, received);
        }
        return (data.ToArray(), received); // FIN: received is 0 here
    }
}
