using System.Diagnostics;
using System.Net.Sockets;
using SocketsNotebooks.Selectors;

namespace SocketsNotebooks.Concurrency;

// One connection's closed loop: send the request, read the whole echo, check it, send the next.
internal sealed partial class EchoLoadRun
{
    private void Begin(Flight flight, long now)
    {
        flight.Sent = flight.Received = 0;
        flight.Wrong = false;
        flight.StartedAt = now;
        Send(flight);
    }

    private void Service(Flight flight, SelectorEvents mask)
    {
        if ((mask & SelectorEvents.Write) != 0 && flight.Sent < _request.Length)
        {
            Send(flight);
        }
        if (!flight.Dead && (mask & SelectorEvents.Read) != 0)
        {
            Receive(flight);
        }
    }

    private void Send(Flight flight)
    {
        int sent = flight.Socket.Send(_request, flight.Sent, _request.Length - flight.Sent, SocketFlags.None, out var error);
        if (error is not (SocketError.Success or SocketError.WouldBlock))
        {
            Fail(flight);
            return;
        }
        flight.Sent += sent;
        // Write only while part of the request still waits to go out (notebook 02's lesson).
        Watch(flight, flight.Sent < _request.Length ? SelectorEvents.Read | SelectorEvents.Write : SelectorEvents.Read);
    }

    private void Receive(Flight flight)
    {
        int received = flight.Socket.Receive(_scratch, 0, _request.Length - flight.Received, SocketFlags.None, out var error);
        if (error == SocketError.WouldBlock)
        {
            return;
        }
        if (error != SocketError.Success || received == 0)
        {
            // Reset, or FIN: the server closed a connection that still expected its echo.
            Fail(flight);
            return;
        }
        flight.Wrong |= !_scratch.AsSpan(0, received).SequenceEqual(_request.AsSpan(flight.Received, received));
        flight.Received += received;
        if (flight.Received < _request.Length)
        {
            return;
        }
        long done = Stopwatch.GetTimestamp();
        if (!flight.Answered)
        {
            flight.Answered = true;
            _unanswered--;
        }
        if (done >= _measureFrom && done < _measureTo)
        {
            if (flight.Wrong)
            {
                _mismatches++;
            }
            else
            {
                flight.Completed++;
                _latencies.Add(done - flight.StartedAt);
            }
        }
        // The next request at once: exactly one in flight per connection.
        Begin(flight, done);
    }

    private void Watch(Flight flight, SelectorEvents events)
    {
        if (flight.Events == events)
        {
            return;
        }
        if (flight.Events == SelectorEvents.None)
        {
            _selector.Register(flight.Socket, events, flight);
        }
        else
        {
            _selector.Modify(flight.Socket, events, flight);
        }
        flight.Events = events;
    }

    private void Fail(Flight flight)
    {
        if (flight.Events != SelectorEvents.None)
        {
            _selector.Unregister(flight.Socket);
            flight.Events = SelectorEvents.None;
        }
        flight.Dead = true;
        _failed++;
        _alive--;
        if (!flight.Answered)
        {
            flight.Answered = true;
            _unanswered--;
        }
    }

    private sealed class Flight(Socket socket)
    {
        public Socket Socket { get; } = socket;
        public SelectorEvents Events { get; set; }
        public bool Connected { get; set; }
        public bool Dead { get; set; }
        public bool Wrong { get; set; }
        public bool Answered { get; set; }
        public int Sent { get; set; }
        public int Received { get; set; }
        public long StartedAt { get; set; }
        public int Completed { get; set; }

        public void Close() => Socket.Abort();
    }
}
