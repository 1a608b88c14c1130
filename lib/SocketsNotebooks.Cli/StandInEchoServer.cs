using System.Net;
using SocketsNotebooks.Hosting;
using SocketsNotebooks.Tracing;

namespace SocketsNotebooks.Cli;

// TEMPORARY: stands in for SocketsNotebooks.Echo.EchoServer until that lands; same Start signature.
internal sealed class StandInEchoServer : BackgroundServer
{
    private StandInEchoServer(string name, Trace trace) : base(name, trace)
    {
    }

    public static StandInEchoServer Start(Trace trace, string name, IPEndPoint endPoint)
    {
        var server = new StandInEchoServer(name, trace);
        server.Start(endPoint);
        return server;
    }

    protected override async Task RunAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            var connection = Track(await Listener.AcceptAsync(stopping).ConfigureAwait(false));
            _ = Task.Run(() => EchoAsync(connection, stopping), CancellationToken.None);
        }
    }

    private async Task EchoAsync(TracedSocket connection, CancellationToken stopping)
    {
        var buffer = new byte[1024];
        try
        {
            int received;
            while ((received = await connection.ReceiveAsync(buffer, stopping).ConfigureAwait(false)) > 0)
            {
                await connection.SendAllAsync(buffer.AsMemory(0, received), stopping).ConfigureAwait(false);
            }
            CloseConnection(connection, "peer closed");
        }
        catch (Exception e) when (e is System.Net.Sockets.SocketException or OperationCanceledException or ObjectDisposedException)
        {
            CloseConnection(connection, e.GetType().Name);
        }
    }
}
