using System.Net;
using System.Net.Sockets;
using System.Text;
using SocketsNotebooks.Hosting;
using SocketsNotebooks.Tracing;

namespace SocketsNotebooks.Troubleshooting;

/// <summary>
/// A server that answers only once the client has finished sending: it reads until <c>recv()</c> returns 0
/// (the client's FIN, from <c>Shutdown(Send)</c> or close), then sends one answer and closes. A client that
/// never half-closes waits for ever, which is what the half-close exercise is about.
/// </summary>
public sealed class ReadToEndServer : BackgroundServer
{
    /// <summary>How long the server waits for a client's next bytes (or FIN) before giving up on it.</summary>
    public static readonly TimeSpan IdleTimeout = TimeSpan.FromSeconds(5);

    private ReadToEndServer(string name, Trace trace)
        : base(name, trace)
    {
    }

    /// <summary>Starts the server on 127.0.0.1 and a free port; a server already running under <paramref name="name"/> is stopped first.</summary>
    public static ReadToEndServer Start(Trace trace, string name = "read-to-end")
    {
        var server = new ReadToEndServer(name, trace);
        server.Start(new IPEndPoint(IPAddress.Loopback, 0));
        return server;
    }

    /// <summary>The answer the server sends after reading <paramref name="request"/> to the end.</summary>
    public static string AnswerFor(string request) =>
        $"got {Encoding.UTF8.GetByteCount(request ?? throw new ArgumentNullException(nameof(request)))} bytes, then your FIN: thanks";

    /// <inheritdoc/>
    protected override Task RunAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            var connection = Track(Listener.Accept());
            var reason = CloseReason.Answered;
            string? detail = null;
            try
            {
                connection.ReceiveTimeout = (int)IdleTimeout.TotalMilliseconds;
                var request = new MemoryStream();
                var buffer = new byte[1024];
                int received;
                while ((received = connection.Receive(buffer)) > 0)
                {
                    request.Write(buffer, 0, received);
                }
                // FIN: the request is complete; only now is there something to answer.
                connection.SendAll(Encoding.UTF8.GetBytes(AnswerFor(Encoding.UTF8.GetString(request.ToArray()))));
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.TimedOut && !stopping.IsCancellationRequested)
            {
                (reason, detail) = (CloseReason.IdleTimeout, "no FIN within the idle timeout");
            }
            catch (SocketException e) when (e.IsPeerReset() && !stopping.IsCancellationRequested)
            {
                (reason, detail) = (CloseReason.PeerReset, e.SocketErrorCode.ToString());
            }
            catch (SocketException e) when (!stopping.IsCancellationRequested)
            {
                (reason, detail) = (CloseReason.SocketError, e.SocketErrorCode.ToString());
            }
            finally
            {
                CloseConnection(connection, stopping.IsCancellationRequested ? CloseReason.Stopped : reason, detail);
            }
        }
        return Task.CompletedTask;
    }
}
