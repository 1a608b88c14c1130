using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using SocketsNotebooks.Tracing;

namespace SocketsNotebooks.Concurrency;

/// <summary>The check behind the "try this" cell of notebook 06: it says ✅ or ❌ and why.</summary>
public static class ConcurrencyExercises
{
    /// <summary>How long the check waits for any one answer from the learner's server.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(0.5);

    private const int Crowd = 50;

    /// <summary>
    /// Runs an <see cref="AsyncEchoServer"/> with <paramref name="handler"/> as its per-connection code
    /// and checks, in order: a client that never sends does not hold up a second client; bytes come
    /// back exactly, also when they arrive in pieces larger than a 1 KiB buffer; a client's FIN ends
    /// the connection; and 50 clients that connect first and then all speak at once are all answered.
    /// </summary>
    public static Task<string> CheckAsyncEcho(Func<Socket, CancellationToken, Task> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        // The clients are blocking sockets on a thread of their own: the verdict must not depend on
        // the thread pool, which a wrong handler may have tied up (blocked, or spinning).
        return Task.Factory.StartNew(() => Check(handler), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    private static string Check(Func<Socket, CancellationToken, Task> handler)
    {
        var server = AsyncEchoServer.Start(name: "06-exercise-check", handler: handler);
        var clients = new List<Socket>();
        try
        {
            Socket Open()
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true, SendTimeout = 5000 };
                clients.Add(socket);
                socket.Connect(server.EndPoint);
                return socket;
            }

            Open(); // a client that connects and never says a word
            var hello = Open();
            var (back, closed) = Exchange(hello, "hello"u8.ToArray());
            if (back.Length < 5)
            {
                return server.LastHandlerFailure is { } failure
                    ? $"❌ Your handler threw {failure.GetType().Name}: {failure.Message}"
                    : closed
                        ? $"❌ The connection was closed {(back.Length == 0 ? "without a byte coming back" : $"after only {PythonBytes.Repr(back)} came back")}: the handler returned before it echoed b'hello'. It should loop: receive, send back what came, until ReceiveAsync returns 0."
                        : $"❌ A client that never sends was connected first, and a second client's b'hello' got {(back.Length == 0 ? "no echo" : $"only {PythonBytes.Repr(back)}")} within {Patience.TotalSeconds:0.#} s. "
                            + "Your handler blocks the thread that runs it: a blocking Receive inside an async method never gives the thread back, so the server cannot get to anyone else. Await ReceiveAsync and SendAsync instead.";
            }
            if (back.Length > 5 && back.AsSpan().StartsWith("hello"u8))
            {
                return $"❌ The client sent b'hello' (5 bytes) and got back {back.Length:N0} bytes ({PythonBytes.Repr(back, 24)}). "
                    + "Send back only the bytes this receive returned (buffer[..n], or buffer.AsMemory(0, n)), not the whole buffer.";
            }
            if (!back.AsSpan().SequenceEqual("hello"u8))
            {
                return $"❌ The client sent b'hello' and got back {PythonBytes.Repr(back, 24)}.";
            }

            var payload = new byte[3010];
            new Random(11).NextBytes(payload);
            (back, _) = Exchange(hello, payload);
            if (back.Length == 0)
            {
                return HoldsThreads("the client that was answered before sent 3,010 bytes and got none back", clients.Count);
            }
            int wrong = Mismatch(payload, back);
            if (wrong >= 0)
            {
                return $"❌ 3,010 bytes sent; {back.Length:N0} came back within {Patience.TotalSeconds:0.#} s, and they differ from byte {wrong:N0} on. "
                    + "Send back exactly the bytes each receive returned, all of them, in order.";
            }

            var leaving = Open();
            leaving.Send("bye"u8);
            leaving.Shutdown(SocketShutdown.Send);
            (back, closed) = Exchange(leaving, [], expect: 3, waitForClose: true);
            if (back.Length == 0 && !closed)
            {
                return HoldsThreads("a new client sent b'bye' and got no echo", clients.Count);
            }
            if (!back.AsSpan().SequenceEqual("bye"u8))
            {
                return $"❌ A client sent b'bye' and then its FIN; it got back {PythonBytes.Repr(back, 24)} instead of b'bye'.";
            }
            if (!closed)
            {
                return $"❌ A client sent b'bye' and its FIN. The echo came back, but the connection was still open {Patience.TotalSeconds:0.#} s later. "
                    + "When ReceiveAsync returns 0 the client has finished: return from the handler (the server closes the socket then).";
            }

            // A crowd: every client connects first and only then speaks, so a handler that holds a
            // thread while it waits (blocking calls, also inside Task.Run) needs all 50 threads at once.
            var crowd = Enumerable.Range(0, Crowd).Select(_ => Open()).ToArray();
            var clock = Stopwatch.StartNew();
            foreach (var client in crowd)
            {
                client.Send("ping"u8);
            }
            // One deadline for all: each read waits only for what is left of it.
            int answered = crowd.Count(c => Exchange(c, [], expect: 4, patience: Patience - clock.Elapsed).Back.AsSpan().SequenceEqual("ping"u8));
            if (answered < Crowd)
            {
                return HoldsThreads($"{Crowd} clients connected, then each sent b'ping', and only {answered} got their echo", clients.Count);
            }
            return $"✅ Your handler awaits instead of blocking: {Crowd} clients connected at once and all got their echo within "
                + $"{clock.Elapsed.TotalMilliseconds:0} ms, with a silent client connected all along; 3,010 bytes came back exactly; a client's FIN closed its connection. "
                + $"The thread pool has {ThreadPool.ThreadCount} threads for {server.OpenConnections} open connections.";
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

    private static string HoldsThreads(string what, int connected) =>
        $"❌ With {connected} clients connected, {what} within {Patience.TotalSeconds:0.#} s. "
        + "Something in your handler holds a thread while it waits (a blocking Receive or Send, also inside Task.Run), "
        + "so every connection needs a thread of its own and the thread pool adds threads only slowly. Await ReceiveAsync and SendAsync, so no thread waits.";

    // Sends `data`, then reads until `expect` bytes (default: as many as sent) are back, the peer
    // closes, or the patience runs out; with waitForClose, goes on reading until the peer closes.
    private static (byte[] Back, bool Closed) Exchange(Socket socket, byte[] data, int? expect = null, bool waitForClose = false, TimeSpan? patience = null)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)((patience ?? Patience).TotalSeconds * Stopwatch.Frequency);
        var back = new List<byte>();
        var buffer = new byte[4096];
        try
        {
            if (data.Length > 0)
            {
                socket.Send(data);
            }
            int wanted = expect ?? data.Length;
            while (back.Count < wanted || waitForClose)
            {
                long left = deadline - Stopwatch.GetTimestamp();
                // Poll with what is left of the deadline, so one deadline bounds the whole exchange.
                if (left <= 0 || !socket.Poll((int)Math.Max(1, left * 1_000_000 / Stopwatch.Frequency), SelectMode.SelectRead))
                {
                    return ([.. back], false);
                }
                int n = socket.Receive(buffer);
                if (n == 0)
                {
                    return ([.. back], true);
                }
                back.AddRange(buffer.AsSpan(0, n));
            }
            return ([.. back], false);
        }
        catch (SocketException)
        {
            // Reset by a handler that failed: judge what came back so far.
            return ([.. back], true);
        }
    }

    private static int Mismatch(byte[] sent, byte[] back)
    {
        int common = Math.Min(sent.Length, back.Length);
        int at = sent.AsSpan(0, common).CommonPrefixLength(back.AsSpan(0, common));
        return at < common || back.Length != sent.Length ? at : -1;
    }
}
