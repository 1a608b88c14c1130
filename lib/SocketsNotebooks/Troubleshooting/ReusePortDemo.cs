using System.Net;
using System.Net.Sockets;
using SocketsNotebooks.Tracing;

namespace SocketsNotebooks.Troubleshooting;

/// <summary>
/// Two listeners on one port, both opted in: each socket sets <c>ReuseAddress</c> before its bind, which
/// .NET on Linux turns into SO_REUSEADDR <em>and</em> SO_REUSEPORT (strace shows both). The second bind
/// then succeeds, and the kernel hands each new connection to one of the listeners, chosen by a hash of
/// the connection's addresses and ports: clients cannot tell which program will answer them.
/// </summary>
/// <param name="Port">The port both listeners are bound to.</param>
/// <param name="Connections">How many clients connected.</param>
/// <param name="FirstListener">How many of them the first listener accepted.</param>
/// <param name="SecondListener">How many the second one accepted.</param>
/// <param name="Listeners">The socket table's LISTEN rows for the port: two of them.</param>
public sealed record ReusePortDemo(int Port, int Connections, int FirstListener, int SecondListener, IReadOnlyList<SocketRow> Listeners)
{
    /// <summary>
    /// Binds two listeners to one 127.0.0.1 port, both with <c>ReuseAddress</c>, connects <paramref name="connections"/>
    /// clients and counts what each listener accepts. Only Linux (and other systems with SO_REUSEPORT load balancing)
    /// spread the clients; where the second bind fails, the <see cref="SocketException"/> is thrown.
    /// </summary>
    public static ReusePortDemo Run(Trace trace, int connections = 100)
    {
        ArgumentNullException.ThrowIfNull(trace);
        ArgumentOutOfRangeException.ThrowIfLessThan(connections, 1, nameof(connections));
        using var first = SharedListener(trace, new IPEndPoint(IPAddress.Loopback, 0), connections);
        using var second = SharedListener(trace, first.LocalEndPoint!, connections);
        var clients = new List<Socket>();
        try
        {
            for (int i = 0; i < connections; i++)
            {
                // Plain sockets: a hundred connects would drown the trace.
                var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                clients.Add(client);
                client.Connect(first.LocalEndPoint!);
            }
            // connect() returns once the handshake is done, so every connection already waits in one backlog.
            var listeners = SocketTable.Snapshot(first.LocalEndPoint!.Port).Where(r => r.State == "LISTEN").ToArray();
            return new ReusePortDemo(first.LocalEndPoint!.Port, connections, AcceptAll(first.Socket), AcceptAll(second.Socket), listeners);
        }
        finally
        {
            foreach (var client in clients)
            {
                client.Dispose();
            }
        }
    }

    private static TracedSocket SharedListener(Trace trace, EndPoint endPoint, int backlog)
    {
        var listener = TracedSocket.Tcp(trace, Side.Server);
        try
        {
            listener.Socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            listener.Bind(endPoint);
            listener.Listen(backlog);
            return listener;
        }
        catch
        {
            listener.Dispose();
            throw;
        }
    }

    // Accepts without waiting until the backlog is empty, closing each connection at once.
    private static int AcceptAll(Socket listener)
    {
        listener.Blocking = false;
        int accepted = 0;
        while (true)
        {
            try
            {
                listener.Accept().Dispose();
                accepted++;
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.WouldBlock)
            {
                return accepted;
            }
        }
    }
}
