using System.Net;

namespace SocketsNotebooks.Cli;

/// <summary>
/// What a client command's own code gets from <see cref="ClientCommand"/>: where the server is, where
/// to print, and the time limits it runs under.
/// </summary>
public sealed class ClientRun
{
    private readonly string _command;

    internal ClientRun(string command, IPEndPoint endPoint, TextWriter output, TextWriter error, TimeSpan timeout,
        CancellationToken timeLimit, CancellationToken cancellationToken)
    {
        _command = command;
        EndPoint = endPoint;
        Output = output;
        Error = error;
        Timeout = timeout;
        TimeLimit = timeLimit;
        CancellationToken = cancellationToken;
    }

    /// <summary>The server's address and port, resolved from the command's <c>host</c> and <c>port</c>.</summary>
    public IPEndPoint EndPoint { get; }

    /// <summary>Where results go (the terminal's stdout).</summary>
    public TextWriter Output { get; }

    /// <summary>Where failures go (the terminal's stderr).</summary>
    public TextWriter Error { get; }

    /// <summary>The command's time limit, counted from its start; also what a library client is given as its own timeout.</summary>
    public TimeSpan Timeout { get; }

    /// <summary>
    /// Fires when <see cref="Timeout"/> has passed since the command started (or on Ctrl+C): pass it to
    /// calls that must finish within the limit. A command that then waits for as long as the user likes
    /// (a subscriber) waits on <see cref="CancellationToken"/> instead.
    /// </summary>
    public CancellationToken TimeLimit { get; }

    /// <summary>Fires on Ctrl+C only.</summary>
    public CancellationToken CancellationToken { get; }

    /// <summary>Prints <c>&lt;command&gt;: <paramref name="why"/></c> on <see cref="Error"/> and returns the failure exit code.</summary>
    public async Task<int> FailAsync(string why)
    {
        await Error.WriteLineAsync($"{_command}: {why}").ConfigureAwait(false);
        return SocketsRoot.FailureExitCode;
    }
}
