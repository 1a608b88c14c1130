using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Time.Testing;
using SocketsNotebooks.Selectors;
using SocketsNotebooks.Tracing;
using Trace = SocketsNotebooks.Tracing.Trace;

namespace SocketsNotebooks.Tests.Selectors;

public sealed class SelectorServerTests
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task Accept_FailsWithEmfile_WaitingClientClosedAtOnceAndTheNextOneServed()
    {
        var trace = new Trace();
        var server = new TestEchoServer(trace, nameof(Accept_FailsWithEmfile_WaitingClientClosedAtOnceAndTheNextOneServed), acceptFailures: 1);
        try
        {
            using var turnedAway = Connect(server);

            // Accepted with the spare descriptor only to be closed: its client hears "no" instead of waiting.
            Assert.Equal(0, turnedAway.Receive(new byte[16]));
            using var client = Connect(server);
            Assert.Equal("hello", Echo(client, "hello"));
            Assert.Contains(server.LogLines, l => l.StartsWith("accept() failed: TooManyOpenSockets", StringComparison.Ordinal));
            Assert.Contains(server.LogLines, l => l.StartsWith("Closing connection to", StringComparison.Ordinal) && l.Contains(nameof(CloseReason.Overloaded)));
            Assert.True(server.IsRunning);
            Assert.Null(server.Failure);
            // The accept error and the close are in the trace.
            await trace.WaitForAsync(e => e.Side == Side.Server && e.Kind == TraceKind.Error && e.Note.Contains("EMFILE"), s_wait);
            await trace.WaitForAsync(e => e.Side == Side.Server && e.Kind == TraceKind.Close && e.Note == nameof(CloseReason.Overloaded), s_wait);
        }
        finally
        {
            server.Stop();
        }
    }

    [Fact]
    public void Accept_OutOfDescriptors_RestsInsteadOfSpinningAndLogsOncePerSecond()
    {
        var time = new FakeTimeProvider();
        var server = new TestEchoServer(new Trace(), nameof(Accept_OutOfDescriptors_RestsInsteadOfSpinningAndLogsOncePerSecond),
            acceptFailures: int.MaxValue, time);
        try
        {
            using var waiting = Connect(server); // in the backlog: the listener stays readable

            Assert.True(SpinWait.SpinUntil(() => server.AcceptAttempts > 0, s_wait));
            server.WaitForWakeUps(5, s_wait);
            // One failed accept(), one more with the spare descriptor; then the listener rests while the clock stands still.
            Assert.InRange(server.AcceptAttempts, 1, 2);
            Assert.Single(server.LogLines, l => l.StartsWith("accept() failed", StringComparison.Ordinal));

            time.Advance(TimeSpan.FromSeconds(1));
            int before = server.AcceptAttempts;
            Assert.True(SpinWait.SpinUntil(() => server.AcceptAttempts > before, s_wait), "accepting did not resume");
            server.WaitForWakeUps(5, s_wait);

            Assert.InRange(server.AcceptAttempts, before + 1, before + 2);
            Assert.Equal(2, server.LogLines.Count(l => l.StartsWith("accept() failed", StringComparison.Ordinal)));
            Assert.True(server.IsRunning);
        }
        finally
        {
            server.Stop();
        }
    }

    [Fact]
    public async Task Accept_AtMaxConnections_NextOnesClosedWithOverloadedAndTheRestKeepWorking()
    {
        var trace = new Trace();
        var server = new TestEchoServer(trace, nameof(Accept_AtMaxConnections_NextOnesClosedWithOverloadedAndTheRestKeepWorking), maxConnections: 2);
        var turnedAway = new List<Socket>();
        try
        {
            Assert.Equal(2, server.MaxConnections);
            using var first = Connect(server);
            using var second = Connect(server);
            // Echoed: both are held (accepted and registered) before the next ones arrive.
            Assert.Equal("one", Echo(first, "one"));
            Assert.Equal("two", Echo(second, "two"));

            for (int i = 0; i < 3; i++)
            {
                turnedAway.Add(Connect(server));
            }

            // Closed as soon as accepted: each client reads the end of the stream, not a wait.
            foreach (var socket in turnedAway)
            {
                Assert.Equal(0, socket.Receive(new byte[16]));
            }
            string detail = $"{nameof(CloseReason.Overloaded)}: at the connection limit: 2 connections, descriptors kept in reserve for the runtime";
            await trace.WaitForAsync(e => e.Side == Side.Server && e.Kind == TraceKind.Error && e.Note == detail, s_wait);
            Assert.Equal(3, trace.Events.Count(e => e.Side == Side.Server && e.Kind == TraceKind.Close && e.Note == nameof(CloseReason.Overloaded)));

            // The two held carry on (and the loop, one thread, has logged the refusals before this echo).
            Assert.Equal("still", Echo(first, "still"));
            // Logged once for the three (at most once a second).
            Assert.Single(server.LogLines, l => l.Contains("at the connection limit", StringComparison.Ordinal));
            Assert.Contains(server.LogLines, l => l.StartsWith("Closing connection to", StringComparison.Ordinal) && l.Contains(detail, StringComparison.Ordinal));

            // Once one leaves, a newcomer is served in its place.
            second.Close();
            await server.WaitForCloseAsync(s_wait);
            using var third = Connect(server);
            Assert.Equal("three", Echo(third, "three"));
            Assert.True(server.IsRunning);
            Assert.Null(server.Failure);
        }
        finally
        {
            turnedAway.ForEach(s => s.Dispose());
            server.Stop();
        }
    }

    [Fact]
    public void MaxConnections_Default_LeavesTheRuntimeReserveBelowTheDescriptorLimit()
    {
        var server = new TestEchoServer(new Trace(), nameof(MaxConnections_Default_LeavesTheRuntimeReserveBelowTheDescriptorLimit));
        try
        {
            // Set by the loop when it starts; one echo proves the loop is running.
            using var client = Connect(server);
            Assert.Equal("hi", Echo(client, "hi"));
            if (DescriptorBudget.SoftLimit() is not { } limit)
            {
                Assert.Null(server.MaxConnections);
                return;
            }
            Assert.NotNull(server.MaxConnections);
            Assert.InRange(server.MaxConnections.Value, 1, limit - DescriptorBudget.RuntimeReserve);
        }
        finally
        {
            server.Stop();
        }
    }

    [Fact]
    public async Task Service_ThrowsForOneConnection_OnlyThatOneClosedWithAppError()
    {
        var trace = new Trace();
        var server = new TestEchoServer(trace, nameof(Service_ThrowsForOneConnection_OnlyThatOneClosedWithAppError));
        try
        {
            using var good = Connect(server);
            using var bad = Connect(server);
            Assert.Equal("before", Echo(good, "before"));

            bad.Send("!"u8);

            Assert.Equal(0, bad.Receive(new byte[16])); // FIN: the server closed it
            var closed = await server.WaitForCloseAsync(s_wait);
            Assert.Equal(CloseReason.AppError, closed.Reason);
            Assert.Contains("bang", closed.Detail);
            await trace.WaitForAsync(e => e.Side == Side.Server && e.Kind == TraceKind.Close && e.Note == nameof(CloseReason.AppError), s_wait);
            Assert.Equal("after", Echo(good, "after"));
            Assert.True(server.IsRunning);
            Assert.Null(server.Failure);
        }
        finally
        {
            server.Stop();
        }
    }

    [Fact]
    public async Task Stop_OpenConnection_RecordedAsStoppedOnce()
    {
        var trace = new Trace();
        var server = new TestEchoServer(trace, nameof(Stop_OpenConnection_RecordedAsStoppedOnce));
        using var client = Connect(server);
        Assert.Equal("hi", Echo(client, "hi"));

        server.Stop();

        var closed = await server.WaitForCloseAsync(s_wait);
        Assert.Equal(CloseReason.Stopped, closed.Reason);
        Assert.Single(server.ClosedRecords);
    }

    private static Socket Connect(SelectorServer server)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveTimeout = 5000 };
        socket.Connect(server.EndPoint);
        return socket;
    }

    private static string Echo(Socket client, string text)
    {
        client.Send(Encoding.ASCII.GetBytes(text));
        var buffer = new byte[64];
        int received = client.Receive(buffer);
        return Encoding.ASCII.GetString(buffer, 0, received);
    }

    // The smallest server on the shared loop: echo what arrives, throw on '!', and fail the first
    // few accept() calls the way a process out of file descriptors would (EMFILE).
    private sealed class TestEchoServer : SelectorServer
    {
        private readonly byte[] _buffer = new byte[64];
        private readonly ConcurrentQueue<string> _log;
        private readonly SemaphoreSlim _closedSignal = new(0);
        private int _acceptFailures;
        private int _acceptAttempts;
        private int _wakeUps;

        public TestEchoServer(Trace trace, string name, int acceptFailures = 0, TimeProvider? time = null, int? maxConnections = null)
            : this(trace, name, acceptFailures, new ConcurrentQueue<string>(), time, maxConnections)
        {
        }

        private TestEchoServer(Trace trace, string name, int acceptFailures, ConcurrentQueue<string> log, TimeProvider? time, int? maxConnections)
            : base(name, trace, log.Enqueue, time, maxConnections: maxConnections)
        {
            _log = log;
            _acceptFailures = acceptFailures;
            Start(new IPEndPoint(IPAddress.Loopback, 0));
        }

        public IReadOnlyList<string> LogLines => [.. _log];

        public ConcurrentQueue<(CloseReason Reason, string Detail)> ClosedRecords { get; } = new();

        protected override TimeSpan? SelectTimeout => TimeSpan.FromMilliseconds(50);

        public async Task<(CloseReason Reason, string Detail)> WaitForCloseAsync(TimeSpan timeout)
        {
            Assert.True(await _closedSignal.WaitAsync(timeout), "no connection was closed");
            return ClosedRecords.Last();
        }

        public int AcceptAttempts => Volatile.Read(ref _acceptAttempts);

        public void WaitForWakeUps(int count, TimeSpan timeout)
        {
            int target = Volatile.Read(ref _wakeUps) + count;
            Assert.True(SpinWait.SpinUntil(() => Volatile.Read(ref _wakeUps) >= target, timeout), $"fewer than {count} wake-ups");
        }

        protected override void AfterWakeUp(int reported, int serviced) => Interlocked.Increment(ref _wakeUps);

        protected override TracedSocket AcceptConnection(TracedSocket listener)
        {
            Interlocked.Increment(ref _acceptAttempts);
            if (_acceptFailures > 0)
            {
                _acceptFailures--;
                // What TracedSocket.Accept records when the real call fails.
                listener.RecordError("TooManyOpenSockets (EMFILE, simulated)");
                throw new SocketException((int)SocketError.TooManyOpenSockets);
            }
            return base.AcceptConnection(listener);
        }

        protected override void AcceptWrapper(TracedSocket connection) =>
            Selector.Register(connection, SelectorEvents.Read, new EchoConnection(connection));

        protected override int ServiceConnection(SelectorKey key, SelectorEvents mask)
        {
            var connection = (EchoConnection)key.Data!;
            int received = connection.Socket.Receive(_buffer);
            if (received == 0)
            {
                Close(connection, CloseReason.PeerClosed);
                return 1;
            }
            if (_buffer[0] == (byte)'!')
            {
                throw new InvalidOperationException("bang");
            }
            connection.Socket.Send(_buffer.AsSpan(0, received));
            return 1;
        }

        protected override void OnClosed(SelectorConnection connection, CloseReason reason, string detail)
        {
            ClosedRecords.Enqueue((reason, detail));
            _closedSignal.Release();
        }
    }

    private sealed class EchoConnection(TracedSocket socket) : SelectorConnection(socket);
}
