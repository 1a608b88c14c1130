using System.Net;
using SocketsNotebooks.Tracing;

namespace SocketsNotebooks.Tests.Tracing;

public sealed class TraceTests
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(5);

    [Fact]
    public void Record_SeveralCalls_KeptInOrderWithKindsSizesAndPreview()
    {
        var trace = new Trace();
        trace.Record(1, Side.Client, TraceKind.Send, 5, "hello"u8);
        trace.Record(1, Side.Server, TraceKind.Recv, 1024, "hello"u8);
        trace.Record(1, Side.Server, TraceKind.Close, 0, 0, note: "client closed");

        var events = trace.Events;
        Assert.Equal([1, 2, 3], events.Select(e => e.Seq));
        Assert.Equal([TraceKind.Send, TraceKind.Recv, TraceKind.Close], events.Select(e => e.Kind));
        Assert.Equal((1024, 5, "b'hello'"), (events[1].Asked, events[1].Moved, events[1].Preview));
        Assert.Equal("client closed", events[2].Note);
        Assert.True(events.Zip(events.Skip(1)).All(p => p.First.TimeMs <= p.Second.TimeMs));
    }

    [Fact]
    public void Record_LongData_PreviewCutAtPreviewBytes()
    {
        var trace = new Trace { PreviewBytes = 4 };
        var recorded = trace.Record(1, Side.Client, TraceKind.Send, 10, "0123456789"u8);
        Assert.Equal("b'0123'...", recorded.Preview);
        Assert.Equal(10, recorded.Moved);
    }

    [Fact]
    public void RecvsAndSends_FilteredBySideAndConn()
    {
        var trace = new Trace();
        trace.Record(1, Side.Server, TraceKind.Recv, 8, 3);
        trace.Record(2, Side.Server, TraceKind.Recv, 8, 4);
        trace.Record(1, Side.Client, TraceKind.Recv, 8, 5);
        trace.Record(1, Side.Client, TraceKind.Send, 3, 3);

        Assert.Equal([3, 4, 5], trace.Recvs().Select(e => e.Moved));
        Assert.Equal([3, 4], trace.Recvs(Side.Server).Select(e => e.Moved));
        Assert.Equal([3], trace.Recvs(Side.Server, conn: 1).Select(e => e.Moved));
        Assert.Single(trace.Sends());
        Assert.Equal(2, trace.Table(Side.Client).Count);
    }

    [Fact]
    public async Task Record_ManyThreadsAtOnce_EveryEventKeptOnceInSeqOrder()
    {
        var trace = new Trace();
        const int threads = 8, each = 2000;
        int raised = 0;
        trace.Recorded += _ => Interlocked.Increment(ref raised);
        using var start = new Barrier(threads);
        var writers = Enumerable.Range(1, threads).Select(t => Task.Factory.StartNew(() =>
        {
            start.SignalAndWait();
            for (int i = 0; i < each; i++)
            {
                trace.Record(t, Side.Client, TraceKind.Send, i, i);
            }
        }, TaskCreationOptions.LongRunning)).ToArray();
        await Task.WhenAll(writers).WaitAsync(s_wait);

        var events = trace.Events;
        Assert.Equal(threads * each, events.Count);
        Assert.Equal(Enumerable.Range(1, threads * each), events.Select(e => e.Seq));
        Assert.Equal(threads * each, raised);
        // Each thread's own events stay in the order it recorded them.
        Assert.All(events.GroupBy(e => e.Conn), g => Assert.Equal(Enumerable.Range(0, each), g.Select(e => e.Moved)));
    }

    [Fact]
    public async Task WaitForAsync_AlreadyRecorded_CompletesAtOnce()
    {
        var trace = new Trace();
        trace.Record(3, Side.Server, TraceKind.Accept, 0, 0);
        var found = await trace.WaitForAsync(e => e.Kind == TraceKind.Accept, TimeSpan.FromMilliseconds(1));
        Assert.Equal(3, found.Conn);
    }

    [Fact]
    public async Task WaitForAsync_RecordedLaterOnAnotherThread_CompletesWithThatEvent()
    {
        var trace = new Trace();
        var waiting = trace.WaitForAsync(e => e.Kind == TraceKind.Recv && e.Moved == 0, s_wait);
        Assert.False(waiting.IsCompleted);
        await Task.Run(() =>
        {
            trace.Record(1, Side.Server, TraceKind.Recv, 1024, 5);
            trace.Record(1, Side.Server, TraceKind.Recv, 1024, 0);
        });
        var fin = await waiting;
        Assert.Equal(2, fin.Seq);
    }

    [Fact]
    public async Task WaitForAsync_ManyWaitersWhileManyThreadsRecord_EachGetsItsEvent()
    {
        var trace = new Trace();
        var waiters = Enumerable.Range(0, 50).Select(i => trace.WaitForAsync(e => e.Conn == 1 && e.Moved == i, s_wait)).ToArray();
        var writers = Enumerable.Range(0, 4).Select(w => Task.Run(() =>
        {
            for (int i = w; i < 50; i += 4)
            {
                trace.Record(1, Side.Server, TraceKind.Recv, 64, i);
                trace.Record(2, Side.Client, TraceKind.Send, 64, i);
            }
        })).ToArray();
        await Task.WhenAll(writers).WaitAsync(s_wait);

        var found = await Task.WhenAll(waiters).WaitAsync(s_wait);
        Assert.Equal(Enumerable.Range(0, 50), found.Select(e => e.Moved));
        Assert.All(found, e => Assert.Equal(Side.Server, e.Side));
    }

    [Fact]
    public async Task WaitForAsync_NothingMatches_ThrowsTimeoutAndForgetsTheWaiter()
    {
        var trace = new Trace();
        int asked = 0;
        var waiting = trace.WaitForAsync(e => { Interlocked.Increment(ref asked); return false; }, TimeSpan.FromMilliseconds(50));
        await Assert.ThrowsAsync<TimeoutException>(() => waiting);

        int askedBefore = Volatile.Read(ref asked);
        trace.Record(1, Side.Client, TraceKind.Send, 1, 1);
        Assert.Equal(askedBefore, Volatile.Read(ref asked));
    }

    [Fact]
    public void ConnectionId_BothEndsAskInEitherOrder_ShareOneId()
    {
        var trace = new Trace();
        var server = new IPEndPoint(IPAddress.Loopback, 5000);
        var client = new IPEndPoint(IPAddress.Loopback, 40001);
        var other = new IPEndPoint(IPAddress.Loopback, 40002);

        int clientEnd = trace.ConnectionId(client, server);
        int otherClient = trace.ConnectionId(other, server);
        int serverEnd = trace.ConnectionId(server, client);

        Assert.Equal(clientEnd, serverEnd);
        Assert.NotEqual(clientEnd, otherClient);
    }

    [Fact]
    public void ConnectionId_SamePortsUsedAgainLater_NewConnectionGetsNewId()
    {
        var trace = new Trace();
        var server = new IPEndPoint(IPAddress.Loopback, 5000);
        var client = new IPEndPoint(IPAddress.Loopback, 40001);
        int first = trace.ConnectionId(client, server);
        Assert.Equal(first, trace.ConnectionId(server, client));

        int second = trace.ConnectionId(client, server);
        Assert.NotEqual(first, second);
        Assert.Equal(second, trace.ConnectionId(server, client));
    }

    [Fact]
    public void LinkConnection_BeforeEitherEndAsks_BothEndsGetTheLinkedId()
    {
        var trace = new Trace();
        var relayEnd = new IPEndPoint(IPAddress.Loopback, 40003);
        var server = new IPEndPoint(IPAddress.Loopback, 5000);
        int clientConn = trace.NewConnectionId();

        trace.LinkConnection(relayEnd, server, clientConn);

        Assert.Equal(clientConn, trace.ConnectionId(relayEnd, server));
        Assert.Equal(clientConn, trace.ConnectionId(server, relayEnd));
        Assert.NotEqual(clientConn, trace.ConnectionId(server, relayEnd));
    }

    [Fact]
    public void Clear_ForgetsEventsButConnectionIdsKeepCounting()
    {
        var trace = new Trace();
        int before = trace.NewConnectionId();
        trace.Record(before, Side.Client, TraceKind.Connect, 0, 0);
        trace.Clear();
        Assert.Empty(trace.Events);
        Assert.True(trace.NewConnectionId() > before);
    }

    [Fact]
    public async Task Clear_ThenMoreEvents_SeqKeepsCountingSoLaterMeansLater()
    {
        var trace = new Trace();
        trace.Record(1, Side.Server, TraceKind.Recv, 8, 3);
        var before = trace.Record(1, Side.Server, TraceKind.Close, 0, 0);
        trace.Clear();
        // EchoClient.WaitForOtherEndToClose waits like this: "a close later than the last one I saw".
        var waiting = trace.WaitForAsync(e => e.Kind == TraceKind.Close && e.Seq > before.Seq, s_wait);
        trace.Record(2, Side.Server, TraceKind.Close, 0, 0);

        var after = await waiting;
        Assert.Equal(2, after.Conn);
        Assert.Equal([3], trace.Events.Select(e => e.Seq));
    }

    [Fact]
    public void Capacity_MoreEventsThanIt_KeepsTheNewestWithTheirOwnSeq()
    {
        var trace = new Trace { Capacity = 3 };
        for (int i = 1; i <= 10; i++)
        {
            trace.Record(1, Side.Client, TraceKind.Send, i, i);
        }

        Assert.Equal([8, 9, 10], trace.Events.Select(e => e.Seq));
        Assert.Equal([8, 9, 10], trace.Sends().Select(e => e.Moved));
    }

    [Fact]
    public async Task Capacity_Zero_KeepsNothingButStillRaisesRecordedAndWakesWaiters()
    {
        var trace = new Trace { Capacity = 0 };
        var printed = new List<int>();
        trace.Recorded += e => printed.Add(e.Seq);
        var waiting = trace.WaitForAsync(e => e.Kind == TraceKind.Close, s_wait);

        trace.Record(1, Side.Server, TraceKind.Accept, 0, 0);
        trace.Record(1, Side.Server, TraceKind.Close, 0, 0);

        Assert.Equal(2, (await waiting).Seq);
        Assert.Equal([1, 2], printed);
        Assert.Empty(trace.Events);
        Assert.Null(new Trace().Capacity);
    }

    [Fact]
    public void Record_CapacityZeroNobodyListening_BuildsNothingButSeqKeepsCounting()
    {
        var trace = new Trace { Capacity = 0 };
        Assert.Same(Trace.NotKept, trace.Record(1, Side.Server, TraceKind.Recv, 1024, "hello"u8));
        Assert.Same(Trace.NotKept, trace.Record(1, Side.Server, TraceKind.Send, 5, 5));

        var printed = new List<TraceEvent>();
        trace.Recorded += printed.Add;
        var seen = trace.Record(1, Side.Server, TraceKind.Recv, 1024, "world"u8);

        // A handler added later is raised, with the whole event, numbered after the calls nobody saw.
        Assert.Equal((3, "b'world'"), (seen.Seq, seen.Preview));
        Assert.Same(seen, Assert.Single(printed));
        Assert.Empty(trace.Events);
    }

    [Fact]
    public void Record_HandlerRemoved_BackToBuildingNothing()
    {
        var trace = new Trace { Capacity = 0 };
        Action<TraceEvent> print = _ => { };
        trace.Recorded += print;
        Assert.Equal(1, trace.Record(1, Side.Server, TraceKind.Recv, 8, 3).Seq);

        trace.Recorded -= print;

        Assert.Same(Trace.NotKept, trace.Record(1, Side.Server, TraceKind.Recv, 8, 3));
    }

    [Fact]
    public async Task WaitForAsync_CapacityZeroAfterCallsNobodySaw_SeesTheNextEventThenBuildsNothingAgain()
    {
        var trace = new Trace { Capacity = 0 };
        trace.Record(1, Side.Server, TraceKind.Recv, 1024, "before"u8);
        trace.Record(1, Side.Server, TraceKind.Send, 6, "before"u8);

        var waiting = trace.WaitForAsync(e => e.Kind == TraceKind.Close, s_wait);
        // Not a match, but the waiter is asked about it: a whole event with its preview.
        var asked = trace.Record(1, Side.Server, TraceKind.Recv, 1024, "after"u8);
        await Task.Run(() => trace.Record(1, Side.Server, TraceKind.Close, 0, 0, note: "PeerClosed"));

        var close = await waiting;
        Assert.Equal((3, "b'after'"), (asked.Seq, asked.Preview));
        Assert.Equal((4, "PeerClosed"), (close.Seq, close.Note));
        // The waiter is done: nobody is listening any more.
        Assert.Same(Trace.NotKept, trace.Record(1, Side.Server, TraceKind.Recv, 1024, 0));
    }

    [Fact]
    public async Task WaitForAsync_CapacityZeroWaiterTimedOut_BackToBuildingNothing()
    {
        var trace = new Trace { Capacity = 0 };
        var waiting = trace.WaitForAsync(_ => false, TimeSpan.FromMilliseconds(20));
        Assert.Equal(1, trace.Record(1, Side.Client, TraceKind.Send, 1, 1).Seq);
        await Assert.ThrowsAsync<TimeoutException>(() => waiting);

        Assert.Same(Trace.NotKept, trace.Record(1, Side.Client, TraceKind.Send, 1, 1));
    }

    [Fact]
    public async Task Record_CapacityZeroManyThreadsNobodyListening_EveryCallCountedInSeq()
    {
        var trace = new Trace { Capacity = 0 };
        const int threads = 4, each = 5000;
        using var start = new Barrier(threads);
        var writers = Enumerable.Range(1, threads).Select(t => Task.Factory.StartNew(() =>
        {
            start.SignalAndWait();
            for (int i = 0; i < each; i++)
            {
                trace.Record(t, Side.Client, TraceKind.Send, i, i);
            }
        }, TaskCreationOptions.LongRunning)).ToArray();
        await Task.WhenAll(writers).WaitAsync(s_wait);

        var waiting = trace.WaitForAsync(e => e.Kind == TraceKind.Close, s_wait);
        trace.Record(0, Side.Server, TraceKind.Close, 0, 0);

        Assert.Equal(threads * each + 1, (await waiting).Seq);
    }

    [Fact]
    public void Capacity_Negative_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new Trace { Capacity = -1 });
    }

    [Fact]
    public void ConnectionId_OtherEndNeverAsks_PairForgottenOnceMaxPendingNewerPairsCame()
    {
        var trace = new Trace();
        var server = new IPEndPoint(IPAddress.Loopback, 5000);
        var client = new IPEndPoint(IPAddress.Loopback, 40001);
        int clientEnd = trace.ConnectionId(client, server);

        AskOnceFromManyUntracedClients(trace, server, Trace.MaxPendingConnections);

        // The oldest pending pair made room: a late server end is a new connection to the trace.
        Assert.NotEqual(clientEnd, trace.ConnectionId(server, client));
    }

    [Fact]
    public void ConnectionId_OtherEndAsksJustBeforeTheLimit_StillSharesTheId()
    {
        var trace = new Trace();
        var server = new IPEndPoint(IPAddress.Loopback, 5000);
        var client = new IPEndPoint(IPAddress.Loopback, 40001);
        int clientEnd = trace.ConnectionId(client, server);

        AskOnceFromManyUntracedClients(trace, server, Trace.MaxPendingConnections - 1);

        Assert.Equal(clientEnd, trace.ConnectionId(server, client));
    }

    // Connections whose other end is not traced (a Python client of a CLI server): one ask each.
    private static void AskOnceFromManyUntracedClients(Trace trace, IPEndPoint server, int count)
    {
        for (int i = 0; i < count; i++)
        {
            trace.ConnectionId(server, new IPEndPoint(new IPAddress([10, 0, (byte)(i >> 8), (byte)i]), 50000));
        }
    }
}
