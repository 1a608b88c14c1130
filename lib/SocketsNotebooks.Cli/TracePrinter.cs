using SocketsNotebooks.Tracing;

namespace SocketsNotebooks.Cli;

/// <summary>
/// Prints a server's socket calls as they happen, by listening to <see cref="Trace.Recorded"/>:
/// the library records, the CLI decides what a terminal shows. Dispose to stop printing.
/// </summary>
public sealed class TracePrinter : IDisposable
{
    private readonly Trace _trace;
    private readonly Action<string> _print;
    private readonly Func<TraceEvent, string?> _describe;

    /// <summary>
    /// Starts printing each event of <paramref name="trace"/> that <paramref name="describe"/> turns into a line
    /// (null = skip) with <paramref name="print"/> (a server command's <see cref="BufferedLines.WriteLine"/>).
    /// </summary>
    public TracePrinter(Trace trace, Action<string> print, Func<TraceEvent, string?>? describe = null)
    {
        _trace = trace ?? throw new ArgumentNullException(nameof(trace));
        _print = print ?? throw new ArgumentNullException(nameof(print));
        _describe = describe ?? Describe;
        _trace.Recorded += Print;
    }

    /// <summary>
    /// The default line for an event: who connected, what was received and sent (Python-style bytes),
    /// who closed. The listen event is skipped; the command prints its own "Listening on" line.
    /// </summary>
    public static string? Describe(TraceEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return e.Kind switch
        {
            TraceKind.Listen => null,
            TraceKind.Accept => $"Connected by {e.Note.Replace("from ", "", StringComparison.Ordinal)} (conn {e.Conn})",
            TraceKind.Connect => $"conn {e.Conn}: connected {e.Note}",
            TraceKind.Recv when e.Moved == 0 => $"conn {e.Conn}: peer closed (recv returned 0 bytes)",
            TraceKind.Recv => $"conn {e.Conn}: received {e.Moved} bytes {e.Preview}",
            TraceKind.Send => $"conn {e.Conn}: sent {e.Moved} bytes {e.Preview}",
            TraceKind.Shutdown => $"conn {e.Conn}: shutdown {e.Note}",
            TraceKind.Close => $"conn {e.Conn}: closed{(e.Note.Length > 0 ? $" ({e.Note})" : "")}",
            TraceKind.Error => $"conn {e.Conn}: error: {e.Note}",
            _ => null,
        };
    }

    /// <summary>Stops printing.</summary>
    public void Dispose() => _trace.Recorded -= Print;

    private void Print(TraceEvent e)
    {
        // Recorded handlers must not throw: a closed console must not break the server.
        try
        {
            if (_describe(e) is { } line)
            {
                _print(line);
            }
        }
        catch (IOException)
        {
            // Best effort: the terminal went away; the server keeps serving.
        }
        catch (ObjectDisposedException)
        {
            // Best effort, as above.
        }
    }
}
