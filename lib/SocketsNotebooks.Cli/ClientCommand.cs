using System.CommandLine;
using System.Net;
using System.Net.Sockets;

namespace SocketsNotebooks.Cli;

/// <summary>
/// What every client command of the course does in its terminal (<c>echo-client</c>, <c>multiconn-client</c>,
/// <c>app-client</c>, <c>publish</c>, <c>subscribe</c>): resolve host and port, connect within a time limit,
/// run, print, and end with exit code 0, or with one line saying what went wrong and exit code 1. Each
/// command passes only what differs: how it connects and what it does once connected. The client-side
/// twin of <see cref="ServerCommand"/>.
/// </summary>
public static class ClientCommand
{
    /// <summary>The time limit a client command runs under unless it names its own.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Resolves the server, connects with <paramref name="connect"/> (given a token that fires when
    /// <paramref name="timeout"/> has passed), hands the connection to <paramref name="run"/>, and
    /// disposes it when <paramref name="run"/> returns its exit code. A socket error (refused, reset,
    /// unknown host) becomes one line in the errno terms of <see cref="CliArguments.Describe"/>; an
    /// <see cref="IOException"/> or <see cref="TimeoutException"/> from the library one line with its
    /// message; the time limit one line saying how long the server had. All three exit with 1.
    /// </summary>
    /// <param name="parsed">The parsed command line: the command's name, its arguments and its writers.</param>
    /// <param name="host">The command's host argument.</param>
    /// <param name="port">The command's port argument.</param>
    /// <param name="connect">Opens the connection (a socket, a publisher, a subscriber) to the resolved endpoint.</param>
    /// <param name="run">Uses it and returns the exit code.</param>
    /// <param name="cancellationToken">Cancelled by Ctrl+C (or by a test).</param>
    /// <param name="timeout">The time limit, counted from the start (default <see cref="DefaultTimeout"/>).</param>
    public static async Task<int> RunAsync<TConnection>(
        ParseResult parsed,
        Argument<string> host,
        Argument<int> port,
        Func<IPEndPoint, CancellationToken, Task<TConnection>> connect,
        Func<TConnection, ClientRun, Task<int>> run,
        CancellationToken cancellationToken,
        TimeSpan? timeout = null)
        where TConnection : IDisposable
    {
        ArgumentNullException.ThrowIfNull(connect);
        ArgumentNullException.ThrowIfNull(run);
        return await RunAsync(parsed, host, port, async client =>
        {
            using var connection = await connect(client.EndPoint, client.TimeLimit).ConfigureAwait(false);
            return await run(connection, client).ConfigureAwait(false);
        }, cancellationToken, timeout).ConfigureAwait(false);
    }

    /// <summary>
    /// The same skeleton for a command whose library client connects by itself (many connections on one
    /// selector, one connection per request): <paramref name="run"/> gets the resolved endpoint and passes
    /// <see cref="ClientRun.Timeout"/> on as the library's own limit.
    /// </summary>
    /// <param name="parsed">The parsed command line.</param>
    /// <param name="host">The command's host argument.</param>
    /// <param name="port">The command's port argument.</param>
    /// <param name="run">Connects, runs, prints and returns the exit code.</param>
    /// <param name="cancellationToken">Cancelled by Ctrl+C (or by a test).</param>
    /// <param name="timeout">The time limit, counted from the start (default <see cref="DefaultTimeout"/>).</param>
    public static async Task<int> RunAsync(
        ParseResult parsed,
        Argument<string> host,
        Argument<int> port,
        Func<ClientRun, Task<int>> run,
        CancellationToken cancellationToken,
        TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(parsed);
        ArgumentNullException.ThrowIfNull(run);
        var limit = timeout ?? DefaultTimeout;
        var output = parsed.InvocationConfiguration.Output;
        var error = parsed.InvocationConfiguration.Error;
        string name = parsed.CommandResult.Command.Name;
        using var timeLimit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeLimit.CancelAfter(limit);
        IPEndPoint? endPoint = null;
        try
        {
            endPoint = await CliArguments.ResolveAsync(parsed.GetValue(host)!, parsed.GetValue(port), timeLimit.Token).ConfigureAwait(false);
            var client = new ClientRun(name, endPoint, output, error, limit, timeLimit.Token, cancellationToken);
            return await run(client).ConfigureAwait(false);
        }
        catch (SocketException e)
        {
            return await FailAsync(error, name, CliArguments.Describe(e, endPoint)).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or TimeoutException)
        {
            // The library's own words: the server hung up before answering, or never answered.
            return await FailAsync(error, name, e.Message).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // Not Ctrl+C: the time limit (ours, or a library's own limit of the same length).
            return await FailAsync(error, name, $"no answer from {(object?)endPoint ?? parsed.GetValue(host)} within {limit.TotalSeconds:0.#} s.")
                .ConfigureAwait(false);
        }
    }

    private static async Task<int> FailAsync(TextWriter error, string command, string why)
    {
        await error.WriteLineAsync($"{command}: {why}").ConfigureAwait(false);
        return SocketsRoot.FailureExitCode;
    }
}
