using SocketsNotebooks.Selectors;
using SocketsNotebooks.Tracing;

namespace SocketsNotebooks.MultiConn;

/// <summary>The check behind the "try this" cell of the multi-connection notebook: it says ✅ or ❌ and why.</summary>
public static class MultiConnExercises
{
    /// <summary>
    /// Checks a learner's events-mask rule (bytes waiting to be sent, has the peer sent its FIN →
    /// what to watch): first on the three situations that matter, then live, by running a
    /// <see cref="MultiConnServer"/> with the rule against 20 echoing clients and a few idle ones.
    /// </summary>
    public static string CheckInterestRule(Func<int, bool, SelectorEvents> rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        SelectorEvents idle, busy, finishing;
        try
        {
            idle = rule(0, false);
            busy = rule(100, false);
            finishing = rule(100, true);
        }
        catch (Exception e)
        {
            return $"❌ The rule threw {e.GetType().Name}: {e.Message}";
        }

        if ((idle & SelectorEvents.Read) == 0)
        {
            return $"❌ With nothing to send and the client still there, your rule watches {idle}: without Read the server never notices the client's next message.";
        }
        if ((idle & SelectorEvents.Write) != 0)
        {
            return $"❌ With nothing to send your rule still watches Write ({idle}). A connected socket is almost always writable, so Select returns at once, every time: the busy loop.";
        }
        if ((busy & SelectorEvents.Write) == 0)
        {
            return $"❌ With 100 bytes waiting your rule watches {busy}: without Write the loop is never told it may send, and the echo never goes out.";
        }
        if ((finishing & SelectorEvents.Read) != 0)
        {
            return $"❌ After the client's FIN your rule still watches Read ({finishing}). A socket whose peer closed stays readable for good (every recv() returns 0 at once), so the loop would spin again.";
        }
        if ((finishing & SelectorEvents.Write) == 0)
        {
            return $"❌ After the client's FIN, with 100 bytes still owed, your rule watches {finishing}: the client would never get the rest of its echo.";
        }

        var trace = new Trace();
        var options = new MultiConnServerOptions { Interest = rule, SelectTimeout = TimeSpan.FromMilliseconds(100) };
        var server = MultiConnServer.Start(trace, options, "02-exercise-check");
        try
        {
            var result = MultiConnClient.Run(server.EndPoint, 20, trace, options: new MultiConnClientOptions { Timeout = TimeSpan.FromSeconds(5) });
            if (!result.AllEchoed)
            {
                var bad = result.Connections.First(c => !c.Echoed || c.CloseReason != CloseReason.Done);
                return $"❌ Live run: connection {bad.ConnId} got {bad.BytesReceived} of {bad.BytesSent} bytes back and ended {bad.CloseReason}.";
            }
            var rates = WakeUpProbe.Run(server, connections: 3, phase: TimeSpan.FromMilliseconds(200));
            var open = rates[1];
            // The loop's own 100 ms timeout allows one wake-up per 0.1 s of the (measured) phase; a
            // little slack for a busy machine. A spinning loop wakes thousands of times.
            if (open.WakeUps > open.Seconds / 0.1 + 5)
            {
                return $"❌ Live run: all 20 clients got their echo, but with 3 silent connections the loop woke {open.WakeUps} times in {open.Seconds:0.0} s. Something still makes Select return at once.";
            }
            return $"✅ Your rule works: 20 connections echoed correctly, and with 3 silent connections open the loop woke only {open.WakeUps} time(s) in {open.Seconds:0.0} s (its Select timeout is 0.1 s). Write is asked for only while there is something to write.";
        }
        finally
        {
            server.Stop();
        }
    }
}
