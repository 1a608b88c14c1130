using System.Net;
using SocketsNotebooks.Tracing;

namespace SocketsNotebooks.Troubleshooting;

/// <summary>The check behind the "try this" cell of the troubleshooting notebook: it says ✅ or ❌ and why.</summary>
public static class TroubleshootingExercises
{
    /// <summary>The request the check sends through the learner's client.</summary>
    public const string Request = "Hello, world";

    /// <summary>
    /// Runs <paramref name="askAndWait"/> (connect to the server, send the request, read the whole answer, return it)
    /// against a <see cref="ReadToEndServer"/>, which answers only after the client's FIN. Waits at most
    /// <paramref name="timeout"/> (default 1 s) for the answer.
    /// </summary>
    public static string CheckHalfCloseClient(Func<IPEndPoint, string, string> askAndWait, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(askAndWait);
        var limit = timeout ?? TimeSpan.FromSeconds(1);
        using var server = ReadToEndServer.Start(new Trace(), "half-close-check");
        string expected = ReadToEndServer.AnswerFor(Request);
        // A thread of its own: the learner's client blocks in Receive, and a busy thread pool must not delay its start.
        var ask = Task.Factory.StartNew(() => askAndWait(server.EndPoint, Request), CancellationToken.None,
            TaskCreationOptions.LongRunning, TaskScheduler.Default);
        if (!Finished(ask, limit))
        {
            // Stopping closes the connection, which ends the client's wait with a 0-byte recv() (or an error).
            server.Stop();
            Finished(ask, limit);
            return $"❌ No answer within {limit.TotalSeconds:0.#} s. The server reads until recv() returns 0, and that happens "
                + "only after your FIN: call Shutdown(SocketShutdown.Send) once the request is sent, then read.";
        }
        if (ask.IsFaulted)
        {
            var error = ask.Exception!.GetBaseException();
            if (error is ObjectDisposedException)
            {
                // Close() where Shutdown(Send) belongs: the FIN went out, but the socket went with it.
                return "❌ Your client threw ObjectDisposedException: its Receive ran on a socket that was already closed. "
                    + "Close() sends the FIN too, but it also gives the socket back to the OS, so nothing can be read "
                    + "from it afterwards (and the server's answer meets a reset). Shutdown(SocketShutdown.Send) sends the "
                    + "FIN and ends only your sending direction: the socket stays open to read the answer, and Close() "
                    + "comes after that.";
            }
            return $"❌ Your client threw {error.GetType().Name}: {error.Message}";
        }
        string answer = ask.Result;
        if (answer == expected)
        {
            return $"✅ The server answered '{answer}' after your half-close: the connection still carried data "
                + "the other way after you said you were done sending.";
        }
        if (string.IsNullOrEmpty(answer))
        {
            return "❌ Your client returned nothing: its first recv() already returned 0. Did you call "
                + "Shutdown(SocketShutdown.Both)? That ends your receiving direction too. Shutdown(SocketShutdown.Send) "
                + "ends only the sending one, so the answer can still come in.";
        }
        return $"❌ Your client returned {PythonBytes.Repr(System.Text.Encoding.UTF8.GetBytes(answer ?? ""))}, but the server sent "
            + $"'{expected}'. Read until recv() returns 0 and return everything you read, decoded as UTF-8.";
    }

    /// <summary>The reference solution: send, half-close, read to the end.</summary>
    public static string ReferenceHalfCloseClient(IPEndPoint server, string request)
    {
        ArgumentNullException.ThrowIfNull(server);
        using var client = TracedSocket.Tcp(new Trace(), Side.Client);
        client.Connect(server);
        client.ReceiveTimeout = 2000;
        client.SendAll(System.Text.Encoding.UTF8.GetBytes(request));
        client.Shutdown(System.Net.Sockets.SocketShutdown.Send);
        var answer = new List<byte>();
        byte[] piece;
        while ((piece = client.Receive(1024)).Length > 0)
        {
            answer.AddRange(piece);
        }
        return System.Text.Encoding.UTF8.GetString(answer.ToArray());
    }

    private static bool Finished(Task task, TimeSpan limit)
    {
        try
        {
            return task.Wait(limit);
        }
        catch (AggregateException)
        {
            return true; // It finished by failing; the caller reports the exception.
        }
    }
}
