using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace SocketsNotebooks.Concurrency;

/// <summary>
/// Measures what open connections cost a server's process: threads, resident memory and reserved
/// address space, as idle connections are added step by step. Each connection is answered once
/// before it counts, so the server really is holding it (a thread parked in <c>recv()</c>, a pending
/// <c>ReceiveAsync</c>, a registration in a selector).
/// </summary>
/// <remarks>
/// Server and connections live in this one process, so the figures include the client end of each
/// connection too (a socket object and its handle; the kernel's socket buffers are not in the
/// process's memory). That share is the same for every model, so the differences are the servers'.
/// </remarks>
public static class ConnectionCost
{
    /// <summary>The most connections one measurement opens.</summary>
    public const int MaxConnections = 5000;

    private const int MessageSize = 8;

    /// <summary>
    /// Starts an untraced server of <paramref name="model"/>, opens connections up to each of
    /// <paramref name="steps"/> (default 250, 500, 750, 1,000) and takes the process's measure at each,
    /// then closes them all and stops the server. The first sample is at 0 connections.
    /// </summary>
    /// <exception cref="ArgumentException"><see cref="ConcurrencyModel.Blocking"/>: it holds one connection at a time, the rest only queue.</exception>
    public static IReadOnlyList<ConnectionCostSample> Measure(ConcurrencyModel model, IReadOnlyList<int>? steps = null)
    {
        if (model == ConcurrencyModel.Blocking)
        {
            throw new ArgumentException("The blocking server serves one connection at a time: the others would only wait in the backlog.", nameof(model));
        }
        int[] counts = [.. (steps ?? [250, 500, 750, 1000]).Order()];
        if (counts.Length == 0 || counts[0] < 1 || counts[^1] > MaxConnections)
        {
            throw new ArgumentOutOfRangeException(nameof(steps), $"between 1 and {MaxConnections} connections");
        }

        string label = EchoModels.Label(model);
        var server = EchoModels.Start(model, name: $"connection-cost-{model.ToString().ToLowerInvariant()}");
        var clients = new List<Socket>(counts[^1]);
        try
        {
            var before = ProcessSnapshot.Take();
            var samples = new List<ConnectionCostSample> { Sample(label, 0, before, before, TimeSpan.Zero) };
            var opening = new Stopwatch();
            foreach (int count in counts)
            {
                opening.Start();
                OpenAndEcho(server.EndPoint, clients, count - clients.Count);
                opening.Stop();
                samples.Add(Sample(label, count, before, ProcessSnapshot.Take(), opening.Elapsed));
            }
            return samples;
        }
        finally
        {
            foreach (var client in clients)
            {
                client.Abort();
            }
            server.Stop();
        }
    }

    /// <summary><see cref="Measure"/> on a thread of its own, so a cell can await it without holding a thread-pool thread.</summary>
    public static Task<IReadOnlyList<ConnectionCostSample>> MeasureAsync(ConcurrencyModel model, IReadOnlyList<int>? steps = null) =>
        Task.Factory.StartNew(() => Measure(model, steps), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    private static ConnectionCostSample Sample(string model, int connections, ProcessSnapshot before, ProcessSnapshot now, TimeSpan opening) =>
        new(model, connections, now.Threads, now.Threads - before.Threads, now.ResidentBytes - before.ResidentBytes,
            now.VirtualBytes - before.VirtualBytes, now.ManagedBytes - before.ManagedBytes, Math.Round(opening.TotalSeconds, 3));

    // Connects `count` more clients, then has each send a few bytes and waits (bounded) for every
    // echo: proof that the server has taken each connection on. All connect first and all send
    // before any reply is read, so the server starts its threads or tasks back to back.
    private static void OpenAndEcho(IPEndPoint server, List<Socket> clients, int count)
    {
        int first = clients.Count;
        for (int i = 0; i < count; i++)
        {
            var socket = new Socket(server.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { ReceiveTimeout = 5000, SendTimeout = 5000, NoDelay = true };
            clients.Add(socket);
            socket.Connect(server);
        }
        var message = new byte[MessageSize];
        Array.Fill(message, (byte)'c');
        for (int i = first; i < clients.Count; i++)
        {
            clients[i].Send(message);
        }
        var echo = new byte[MessageSize];
        for (int i = first; i < clients.Count; i++)
        {
            for (int got = 0; got < MessageSize;)
            {
                int n = clients[i].Receive(echo, got, MessageSize - got, SocketFlags.None);
                if (n == 0)
                {
                    throw new InvalidOperationException("The server closed a new connection instead of echoing.");
                }
                got += n;
            }
        }
    }
}
