using System.Net;
using System.Net.Sockets;
using SocketsNotebooks.Tracing;

namespace SocketsNotebooks.Concurrency;

/// <summary>
/// Notebook 01's echo server as a model: one thread, blocking calls, one client at a time. It
/// accepts a client and echoes until that client leaves; only then does it call <c>accept()</c>
/// again, so every other client waits in the listen backlog, connected but unanswered.
/// </summary>
/// <remarks>
/// The same loop as <c>Echo.EchoServer</c>, without what that one adds for notebook 01 (a pause
/// before each <c>recv()</c>, an idle timeout, a trace it always keeps): a quiet client holds this
/// one for as long as it stays, which is the point it makes next to the other models.
/// </remarks>
public sealed class BlockingEchoServer : EchoModelServer
{
    private BlockingEchoServer(string name, Trace? trace, int bufferSize)
        : base(name, trace, bufferSize)
    {
    }

    /// <inheritdoc/>
    public override ConcurrencyModel Model => ConcurrencyModel.Blocking;

    /// <summary>
    /// Starts the server on 127.0.0.1 and a free port (or <paramref name="endPoint"/>), recording into
    /// <paramref name="trace"/> if one is given. A server already running under <paramref name="name"/> is stopped first.
    /// </summary>
    public static BlockingEchoServer Start(Trace? trace = null, string name = "blocking-echo", IPEndPoint? endPoint = null, int bufferSize = 1024)
    {
        var server = new BlockingEchoServer(name, trace, bufferSize);
        server.Start(endPoint);
        return server;
    }

    /// <inheritdoc/>
    protected override Task RunAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            ServedConnection connection;
            try
            {
                connection = Accept();
            }
            catch (SocketException) when (!stopping.IsCancellationRequested)
            {
                // E.g. the client gave up while queued, or no file descriptors left: the next
                // accept() may work. A short pause keeps a lasting failure from spinning.
                stopping.WaitHandle.WaitOne(10);
                continue;
            }
            ServeBlocking(connection);
        }
        return Task.CompletedTask;
    }
}
