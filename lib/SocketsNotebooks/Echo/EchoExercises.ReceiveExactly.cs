using System.Net.Sockets;
using System.Text;
using SocketsNotebooks.Network;
using SocketsNotebooks.Tracing;

namespace SocketsNotebooks.Echo;

public static partial class EchoExercises
{
    /// <summary>What the check sends through the relay; the learner's function must return exactly these bytes.</summary>
    public static readonly byte[] ExactMessage = Encoding.UTF8.GetBytes("Sockets are streams, not messages!");

    // Sent right behind the message: a function that reads past the n bytes it was asked for eats it.
    private static readonly byte[] s_next = Encoding.UTF8.GetBytes("NEXT");

    // Sent alone, then the client closes: fewer bytes than asked for, so the only right answer is to fail.
    private static readonly byte[] s_short = Encoding.UTF8.GetBytes("Sock");

    /// <summary>
    /// The reference solution: call <c>recv()</c> until <paramref name="n"/> bytes have come, each call
    /// asking only for what is still missing; a 0-byte <c>recv()</c> before that means the peer closed
    /// mid-message, which is an error, not a short message.
    /// </summary>
    public static byte[] ReferenceReceiveExactly(TracedSocket socket, int n)
    {
        ArgumentNullException.ThrowIfNull(socket);
        var data = new byte[n];
        int got = 0;
        while (got < n)
        {
            int received = socket.Receive(data.AsSpan(got));
            if (received == 0)
            {
                throw new EndOfStreamException($"The peer closed after {got} of {n} bytes.");
            }
            got += received;
        }
        return data;
    }

    /// <summary>
    /// Runs <paramref name="receiveExactly"/> (read exactly n bytes from a socket, return them) through
    /// <paramref name="cuts"/> connections, each cut into different random pieces of 1 to 9 bytes by a
    /// relay in front of an echo server: every time it must return the message and leave the bytes
    /// sent behind it in the socket. Then once on a connection that closes before n bytes came, where
    /// it must throw. Each call may take at most <paramref name="callTimeout"/> (default 2 s). Returns
    /// a line starting with ✅ or ❌ that says why, naming the cut that failed.
    /// </summary>
    public static string CheckReceiveExactly(Func<TracedSocket, int, byte[]> receiveExactly, int cuts = 16, TimeSpan? callTimeout = null)
    {
        ArgumentNullException.ThrowIfNull(receiveExactly);
        ArgumentOutOfRangeException.ThrowIfLessThan(cuts, 1, nameof(cuts));
        var limit = callTimeout ?? TimeSpan.FromSeconds(2);
        // Bounded: a loop that keeps calling recv() after the FIN records a call per turn until it is stopped.
        var trace = new Trace { Capacity = 10_000 };
        var echo = EchoServer.Start(trace, "receive-exactly-echo");
        var relay = Relay.Start(echo.EndPoint, Pieces.RandomPerConnection(1, 9, seed: 12), trace, name: "receive-exactly-relay");
        try
        {
            for (int cut = 1; cut <= cuts; cut++)
            {
                string? failure = CheckOneCut(receiveExactly, trace, relay, cut, limit);
                if (failure is not null)
                {
                    return failure;
                }
            }
            return CheckEarlyClose(receiveExactly, trace, relay, limit)
                ?? $"✅ Exactly {ExactMessage.Length} bytes every time, through {cuts} different random cuts, and the bytes "
                    + "behind them left in the socket for the next read; a peer that closed too early made your function fail "
                    + "instead of returning a short message.";
        }
        finally
        {
            relay.Stop();
            echo.Stop();
        }
    }

    private static string? CheckOneCut(Func<TracedSocket, int, byte[]> receiveExactly, Trace trace, Relay relay, int cut, TimeSpan limit)
    {
        var client = EchoClient.Connect(relay.EndPoint, trace, limit);
        try
        {
            client.SendAll([.. ExactMessage, .. s_next]);
            client.Shutdown(SocketShutdown.Send);
            var call = Call(receiveExactly, client, ExactMessage.Length, limit);
            string pieces = PiecesSeen(trace, client.Conn);
            if (call.Error is NotImplementedException)
            {
                return "❌ ReceiveExactly is not written yet: replace the throw with your loop.";
            }
            if (call.TimedOut)
            {
                return $"❌ Cut {cut}: your function was still running after {limit.TotalSeconds:0.#} s ({pieces}). "
                    + "Does the loop stop once it has n bytes?";
            }
            if (call.Error is not null)
            {
                return $"❌ Cut {cut}: your function threw {call.Error.GetType().Name}: {call.Error.Message} ({pieces}).";
            }
            byte[] got = call.Result!;
            if (got.Length != ExactMessage.Length)
            {
                return $"❌ Cut {cut}: you asked for {ExactMessage.Length} bytes and got {got.Length} back, {PythonBytes.Repr(got)} "
                    + $"({pieces}). One recv() returns whatever has arrived, never more than you ask for; keep asking for "
                    + "the bytes still missing until you have them all.";
            }
            if (!got.AsSpan().SequenceEqual(ExactMessage))
            {
                return $"❌ Cut {cut}: {got.Length} bytes, but not the ones sent: {PythonBytes.Repr(got)} instead of "
                    + $"{PythonBytes.Repr(ExactMessage)} ({pieces}). Does each recv() write after the bytes you already have?";
            }
            byte[] rest = EchoClient.ReadUntilClosed(client);
            if (!rest.AsSpan().SequenceEqual(s_next))
            {
                return $"❌ Cut {cut}: the right {ExactMessage.Length} bytes, but the 4 bytes sent behind them ({PythonBytes.Repr(s_next)}) "
                    + $"were no longer in the socket; what was left: {PythonBytes.Repr(rest)} ({pieces}). Ask each recv() only for "
                    + "the bytes still missing: whatever it returns beyond them belongs to the next message.";
            }
            return null;
        }
        finally
        {
            client.Close(CloseReason.Done);
        }
    }

    private static string? CheckEarlyClose(Func<TracedSocket, int, byte[]> receiveExactly, Trace trace, Relay relay, TimeSpan limit)
    {
        var client = EchoClient.Connect(relay.EndPoint, trace, limit);
        try
        {
            client.SendAll(s_short);
            client.Shutdown(SocketShutdown.Send);
            var call = Call(receiveExactly, client, ExactMessage.Length, limit);
            if (call.TimedOut)
            {
                return $"❌ Every cut worked, but when the peer closed after {s_short.Length} of {ExactMessage.Length} bytes your "
                    + $"function was still running after {limit.TotalSeconds:0.#} s. After the peer's FIN, recv() returns 0 bytes "
                    + "at once, every time: a loop that keeps asking never ends. Stop when recv() returns 0.";
            }
            if (call.Error is null)
            {
                return $"❌ Every cut worked, but when the peer closed after {s_short.Length} of {ExactMessage.Length} bytes your "
                    + $"function returned {call.Result!.Length} bytes as if they were the whole message. A 0-byte recv() before "
                    + "n bytes came means the message will never be complete: throw (the Python tutorial raises "
                    + "RuntimeError(\"socket connection broken\")).";
            }
            return null;
        }
        finally
        {
            client.Close(CloseReason.Done);
        }
    }

    private sealed record CallResult(byte[]? Result, Exception? Error, bool TimedOut);

    // The learner's code on a thread of its own, bounded: a loop that never ends is ended by closing
    // its socket under it, which makes its next Receive throw.
    private static CallResult Call(Func<TracedSocket, int, byte[]> receiveExactly, TracedSocket client, int n, TimeSpan limit)
    {
        var call = Task.Factory.StartNew(() => receiveExactly(client, n), CancellationToken.None,
            TaskCreationOptions.LongRunning, TaskScheduler.Default);
        try
        {
            if (!call.Wait(limit))
            {
                client.Close(CloseReason.TimedOut, "the check waited too long for the call to return");
                return new CallResult(null, null, TimedOut: true);
            }
            return new CallResult(call.Result, null, false);
        }
        catch (AggregateException e)
        {
            return new CallResult(null, e.GetBaseException(), false);
        }
    }

    // What the learner's socket was handed, as its recv() calls recorded it.
    private static string PiecesSeen(Trace trace, int conn)
    {
        var sizes = trace.Recvs(Side.Client, conn).Where(e => e.Moved > 0).Select(e => e.Moved).ToArray();
        return sizes.Length switch
        {
            0 => "no recv() returned data",
            1 => $"your one recv() got {sizes[0]} byte{(sizes[0] == 1 ? "" : "s")}",
            _ => $"your recv() calls got pieces of {string.Join(", ", sizes)} bytes",
        };
    }
}
