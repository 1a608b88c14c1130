using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using SocketsNotebooks.Selectors;

namespace SocketsNotebooks.Cli;

/// <summary>
/// The load generator behind <c>sockets bench multiconn</c>, in the spirit of vmbench's echo client:
/// C connections, each with exactly one request of BYTES in flight (send it, wait for the whole echo,
/// send the next), TCP_NODELAY so a small request is not held back, a warm-up whose numbers are
/// thrown away, then a measured period. It runs on one thread with a <see cref="Selector"/>, on plain
/// sockets (no trace), so the generator costs about what the server it measures costs.
/// </summary>
public sealed class BenchMultiConnLoad
{
    private readonly IPEndPoint _server;
    private readonly int _connections;
    private readonly byte[] _request;
    private readonly List<double> _latenciesMs = [];
    private long _completed;
    private long _measured;
    private long _phase; // 0 = connecting, 1 = warm-up, 2 = measuring, 3 = done

    /// <summary>A generator for <paramref name="connections"/> connections sending <paramref name="size"/>-byte requests.</summary>
    public BenchMultiConnLoad(IPEndPoint server, int connections, int size)
    {
        _server = server;
        _connections = connections;
        _request = new byte[size];
        new Random(42).NextBytes(_request);
    }

    /// <summary>Requests completed so far, warm-up included (for the progress display).</summary>
    public long Completed => Interlocked.Read(ref _completed);

    /// <summary>Requests completed inside the measured period so far.</summary>
    public long Measured => Interlocked.Read(ref _measured);

    /// <summary>0 connecting, 1 warming up, 2 measuring, 3 done.</summary>
    public int Phase => (int)Interlocked.Read(ref _phase);

    /// <summary>Connects, warms up for <paramref name="warmUp"/>, measures for <paramref name="measure"/> and returns the result.</summary>
    public BenchMultiConnResult Run(TimeSpan warmUp, TimeSpan measure, CancellationToken cancellationToken)
    {
        var selector = new Selector();
        var sockets = new List<Socket>(_connections);
        var scratch = new byte[Math.Max(_request.Length, 64 * 1024)];
        try
        {
            for (int i = 0; i < _connections; i++)
            {
                var socket = new Socket(_server.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                sockets.Add(socket);
                socket.Connect(_server);
                socket.Blocking = false;
                selector.Register(socket, SelectorEvents.Write, new Flight());
            }

            var clock = Stopwatch.StartNew();
            Interlocked.Exchange(ref _phase, 1);
            double measureFrom = warmUp.TotalMilliseconds, measureTo = (warmUp + measure).TotalMilliseconds;
            long bytesMeasured = 0;
            while (!cancellationToken.IsCancellationRequested)
            {
                double now = clock.Elapsed.TotalMilliseconds;
                if (now >= measureTo)
                {
                    break;
                }
                if (now >= measureFrom && Phase == 1)
                {
                    Interlocked.Exchange(ref _phase, 2);
                }
                foreach (var (key, mask) in selector.Select(TimeSpan.FromMilliseconds(100)))
                {
                    var flight = (Flight)key.Data!;
                    if ((mask & SelectorEvents.Write) != 0 && flight.Sent < _request.Length)
                    {
                        if (flight.Sent == 0)
                        {
                            flight.StartedMs = clock.Elapsed.TotalMilliseconds;
                        }
                        flight.Sent += key.Socket.Send(_request, flight.Sent, _request.Length - flight.Sent, SocketFlags.None);
                        if (flight.Sent == _request.Length)
                        {
                            selector.Modify(key, SelectorEvents.Read);
                        }
                    }
                    if ((mask & SelectorEvents.Read) != 0)
                    {
                        int n = key.Socket.Receive(scratch, 0, _request.Length - flight.Received, SocketFlags.None);
                        if (n == 0)
                        {
                            throw new SocketException((int)SocketError.ConnectionReset);
                        }
                        flight.Received += n;
                        if (flight.Received == _request.Length)
                        {
                            double done = clock.Elapsed.TotalMilliseconds;
                            Interlocked.Increment(ref _completed);
                            if (flight.StartedMs >= measureFrom && done <= measureTo)
                            {
                                _latenciesMs.Add(done - flight.StartedMs);
                                bytesMeasured += _request.Length;
                                Interlocked.Increment(ref _measured);
                            }
                            // Next request at once: exactly one in flight per connection.
                            flight.Sent = flight.Received = 0;
                            selector.Modify(key, SelectorEvents.Write);
                        }
                    }
                }
            }
            Interlocked.Exchange(ref _phase, 3);
            double seconds = Math.Min(clock.Elapsed.TotalMilliseconds - measureFrom, measure.TotalMilliseconds) / 1000;
            return BenchMultiConnResult.From(_connections, _request.Length, seconds, _latenciesMs, bytesMeasured);
        }
        finally
        {
            foreach (var socket in sockets)
            {
                socket.Dispose();
            }
        }
    }

    private sealed class Flight
    {
        public int Sent;
        public int Received;
        public double StartedMs;
    }
}
