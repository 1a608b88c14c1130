using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using SocketsNotebooks.Selectors;

namespace SocketsNotebooks.Concurrency;

/// <summary>One run of <see cref="EchoLoad"/>: its sockets, its selector and what it counted.</summary>
internal sealed partial class EchoLoadRun : IDisposable
{
    private readonly BaseSelector _selector = EpollSelector.IsSupported ? new EpollSelector() : new Selector();
    private readonly Flight[] _flights;
    private readonly byte[] _request;
    private readonly byte[] _scratch;
    private readonly List<long> _latencies = [];
    private long _measureFrom;
    private long _measureTo;
    private int _failed;
    private int _unanswered;
    private int _alive;
    private long _mismatches;

    public EchoLoadRun(int connections, int size)
    {
        _flights = new Flight[connections];
        _request = new byte[size];
        new Random(6).NextBytes(_request);
        _scratch = new byte[size];
    }

    public EchoLoadResult Run(IPEndPoint server, TimeSpan duration, TimeSpan warmup, TimeSpan connectTimeout, string model)
    {
        int connected = Connect(server, connectTimeout);
        long start = Stopwatch.GetTimestamp();
        _measureFrom = _measureTo = long.MaxValue;
        foreach (var flight in _flights)
        {
            if (flight.Connected && !flight.Dead)
            {
                Begin(flight, start);
            }
        }
        // Warm-up: until every connection has had one echo back (so a server that accepts one
        // connection per wake-up, or starts a thread for each, has them all going) and a tenth of
        // the warm-up has passed (so the code on both sides is warm). It ends sooner when no
        // connection got its first echo for StallTicks (a server that serves one client at a time
        // never answers the others), and at the latest when the whole warm-up has passed.
        long warmEnough = start + Ticks(warmup) / 10, warmLimit = start + Ticks(warmup);
        long now, progressAt = start;
        int unanswered = _unanswered;
        while ((now = Stopwatch.GetTimestamp()) < warmLimit && _alive > 0 && (unanswered > 0 ? now - progressAt < StallTicks : now < warmEnough))
        {
            Turn(now, warmLimit);
            if (_unanswered < unanswered)
            {
                unanswered = _unanswered;
                progressAt = Stopwatch.GetTimestamp();
            }
        }
        _measureFrom = now;
        _measureTo = now + Ticks(duration);
        // A run whose connections have all been closed by the server has nothing left to measure.
        while ((now = Stopwatch.GetTimestamp()) < _measureTo && _alive > 0)
        {
            Turn(now, _measureTo);
        }
        return Result(model, connected, TimeSpan.FromSeconds((double)(Math.Min(now, _measureTo) - _measureFrom) / Stopwatch.Frequency));
    }

    // One Select and what it reported. Short waits, so each phase ends on time even when no echo
    // comes back (the blocking server).
    private void Turn(long now, long until)
    {
        var wait = TimeSpan.FromTicks(Math.Min((until - now) * TimeSpan.TicksPerSecond / Stopwatch.Frequency, TimeSpan.TicksPerMillisecond * 20));
        foreach (var (key, mask) in _selector.Select(wait))
        {
            Service((Flight)key.Data!, mask);
        }
    }

    public void Dispose()
    {
        _selector.Dispose();
        foreach (var flight in _flights)
        {
            flight?.Close();
        }
    }

    // Every connect is started at once, non-blocking (Python's connect_ex); the ones the OS has not
    // completed within the timeout are left out of the run.
    private int Connect(IPEndPoint server, TimeSpan timeout)
    {
        for (int i = 0; i < _flights.Length; i++)
        {
            var socket = new Socket(server.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { Blocking = false, NoDelay = true };
            var flight = _flights[i] = new Flight(socket);
            try
            {
                socket.Connect(server);
                flight.Connected = true;
            }
            catch (SocketException e) when (e.SocketErrorCode is SocketError.WouldBlock or SocketError.InProgress)
            {
                flight.Events = SelectorEvents.Write;
                _selector.Register(socket, SelectorEvents.Write, flight);
            }
            catch (SocketException)
            {
                flight.Dead = true;
            }
        }
        var deadline = Stopwatch.GetTimestamp() + Ticks(timeout);
        while (_selector.Count > 0 && Stopwatch.GetTimestamp() < deadline)
        {
            foreach (var (key, _) in _selector.Select(TimeSpan.FromMilliseconds(20)))
            {
                var flight = (Flight)key.Data!;
                _selector.Unregister(flight.Socket);
                flight.Events = SelectorEvents.None;
                var error = (SocketError)(int)flight.Socket.GetSocketOption(SocketOptionLevel.Socket, SocketOptionName.Error)!;
                // A reset here means the handshake worked and the server closed the connection at
                // once: connected, and failed, like a connection the server closes during the run.
                flight.Connected = error is SocketError.Success or SocketError.ConnectionReset or SocketError.ConnectionAborted;
                flight.Dead = error != SocketError.Success;
                if (flight.Connected && flight.Dead)
                {
                    _failed++;
                }
            }
        }
        _selector.Clear();
        foreach (var flight in _flights)
        {
            flight.Events = SelectorEvents.None;
        }
        _unanswered = _alive = _flights.Count(f => f.Connected && !f.Dead);
        return _flights.Count(f => f.Connected);
    }

    private EchoLoadResult Result(string model, int connected, TimeSpan duration)
    {
        _latencies.Sort();
        double? Percentile(double p) => _latencies.Count == 0
            ? null
            : Math.Round(_latencies[Math.Max(0, (int)Math.Ceiling(p * _latencies.Count) - 1)] * 1e6 / Stopwatch.Frequency, 1);
        return new EchoLoadResult(model, _flights.Length, connected, _request.Length, duration.TotalSeconds, _latencies.Count,
            Percentile(0.50), Percentile(0.99), _failed, _mismatches, _flights.Select(f => f.Completed).ToArray());
    }

    private static readonly long StallTicks = Ticks(TimeSpan.FromMilliseconds(50));

    private static long Ticks(TimeSpan span) => (long)(span.TotalSeconds * Stopwatch.Frequency);
}
