using System.CommandLine;
using System.Net;
using System.Net.Sockets;
using SocketsNotebooks.Hosting;
using SocketsNotebooks.Tracing;

namespace SocketsNotebooks.Cli;

/// <summary>
/// What every server command of the course does in its terminal (<c>echo-server</c>, <c>multiconn-server</c>,
/// <c>app-server</c>, <c>pubsub-broker</c>): listen, say where, serve until Ctrl+C, stop, say what
/// happened. Each command passes only what differs: how to start its server and the two lines it prints.
/// </summary>
public static class ServerCommand
{
    // Room on a terminal line for the bytes a printed event shows (the trace's default is shorter).
    private const int PrintedPreviewBytes = 64;

    /// <summary>
    /// Resolves <paramref name="host"/> and <paramref name="port"/>, starts the server, prints
    /// <paramref name="listening"/> and "Press Ctrl+C to stop.", serves until <paramref name="cancellationToken"/>
    /// is cancelled, stops, prints <paramref name="stopped"/> and returns 0. Every line goes through one
    /// <see cref="BufferedLines"/>, so a busy server's log costs it a write per batch, not per line, and the
    /// lines keep their order; the last batch is written after the server stopped, before <paramref name="stopped"/>. A socket error (address in use,
    /// unknown host) becomes one line on the error writer, named after the command, and exit code 1.
    /// </summary>
    /// <param name="parsed">The parsed command line: the command's name, its arguments and its writers.</param>
    /// <param name="host">The command's host argument.</param>
    /// <param name="port">The command's port argument.</param>
    /// <param name="start">
    /// Starts the server on the resolved endpoint, recording into the given trace, with the action its log
    /// lines go to (null with <paramref name="quiet"/>: no line per request).
    /// </param>
    /// <param name="listening">The first line, e.g. the tutorial's <c>Listening on ('127.0.0.1', 65432)</c>.</param>
    /// <param name="stopped">The last line, e.g. a summary of what the server did.</param>
    /// <param name="cancellationToken">Cancelled by Ctrl+C (or by a test).</param>
    /// <param name="printEvent">
    /// Turns a trace event into a line to print as it happens (null = skip that event); leave it out when
    /// the server prints its own log lines.
    /// </param>
    /// <param name="quiet">No line per request or event, only the first and the last lines (for benchmarks).</param>
    public static async Task<int> RunAsync<TServer>(
        ParseResult parsed,
        Argument<string> host,
        Argument<int> port,
        Func<Trace, IPEndPoint, Action<string>?, TServer> start,
        Func<TServer, string> listening,
        Func<TServer, string> stopped,
        CancellationToken cancellationToken,
        Func<TraceEvent, string?>? printEvent = null,
        bool quiet = false)
        where TServer : BackgroundServer
    {
        ArgumentNullException.ThrowIfNull(parsed);
        ArgumentNullException.ThrowIfNull(start);
        ArgumentNullException.ThrowIfNull(listening);
        ArgumentNullException.ThrowIfNull(stopped);
        var output = parsed.InvocationConfiguration.Output;
        IPEndPoint? endPoint = null;
        try
        {
            endPoint = await CliArguments.ResolveAsync(parsed.GetValue(host)!, parsed.GetValue(port), cancellationToken).ConfigureAwait(false);
            if (quiet)
            {
                printEvent = null;
            }
            // Nothing reads the trace's history (the terminal shows lines as they happen): keep none,
            // so a server left running for hours, or benchmarked, does not grow.
            var trace = printEvent is null ? new Trace { Capacity = 0 } : new Trace { Capacity = 0, PreviewBytes = PrintedPreviewBytes };
            // Declared before the server, so on every way out the server is stopped first and its last lines written after.
            using var lines = new BufferedLines(output);
            using var printer = printEvent is null ? null : new TracePrinter(trace, lines.WriteLine, printEvent);
            using var server = start(trace, endPoint, quiet ? null : lines.WriteLine);
            lines.WriteLine(listening(server));
            if (CliArguments.EveryInterfaceWarning(server.EndPoint) is { } warning)
            {
                lines.WriteLine(warning);
            }
            lines.WriteLine("Press Ctrl+C to stop.");
            // Out now, not after the quiet period: a person (or a script) waits for this line to connect.
            lines.Flush();
            await WaitUntilCancelledAsync(cancellationToken).ConfigureAwait(false);
            // Quiet first: stopping wakes the blocked accept() with an error that is expected, not news.
            printer?.Dispose();
            server.Stop();
            lines.WriteLine(stopped(server));
            // The rest of the server's lines, then the last one: nothing is lost at Ctrl+C.
            lines.Dispose();
            return 0;
        }
        catch (SocketException e)
        {
            await parsed.InvocationConfiguration.Error.WriteLineAsync($"{parsed.CommandResult.Command.Name}: {CliArguments.Describe(e, endPoint)}")
                .ConfigureAwait(false);
            return SocketsRoot.FailureExitCode;
        }
    }

    private static async Task WaitUntilCancelledAsync(CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Ctrl+C (or the test's token): the normal way a server ends.
        }
    }
}
