using System.CommandLine;
using System.CommandLine.Parsing;

namespace SocketsNotebooks.Cli;

/// <summary>
/// Builds the <c>sockets</c> root command from each notebook's commands and runs it. Tests call the
/// same two methods with their own writers, so they see exactly what a terminal would.
/// </summary>
public static class SocketsRoot
{
    /// <summary>Exit code for a command line that does not parse (wrong count, bad port): the shell convention for misuse.</summary>
    public const int UsageExitCode = 2;

    /// <summary>Exit code for a command that parsed but failed (connection refused, address in use).</summary>
    public const int FailureExitCode = 1;

    /// <summary>The name printed in usage lines, whatever the executable is called (tests run inside testhost).</summary>
    public const string Name = "sockets";

    /// <summary>A root command holding every notebook's subcommands (and the benches).</summary>
    public static RootCommand Create(params IEnumerable<Command>[] sections)
    {
        var root = new RootCommand("TCP sockets from the course, in a terminal: run a server in one terminal and its client in another.");
        foreach (var command in sections.SelectMany(section => section))
        {
            root.Add(command);
        }
        return root;
    }

    /// <summary>
    /// Parses <paramref name="args"/> and runs the chosen command. A command line that does not parse
    /// prints the errors and a usage line on <paramref name="error"/> and returns <see cref="UsageExitCode"/>
    /// (System.CommandLine's own parse-error action would return 1, which we keep for failures at run time).
    /// </summary>
    /// <param name="root">The root from <see cref="Create"/>.</param>
    /// <param name="args">The command line, without the program name.</param>
    /// <param name="output">Where commands print (a terminal's stdout, or a test's writer).</param>
    /// <param name="error">Where errors and usage go.</param>
    /// <param name="cancellationToken">Stops a long-running command (a server) like Ctrl+C does.</param>
    /// <param name="handleCtrlC">Whether Ctrl+C/SIGTERM cancel the command instead of killing the process (off in tests).</param>
    public static async Task<int> InvokeAsync(RootCommand root, IReadOnlyList<string> args, TextWriter output, TextWriter error,
        CancellationToken cancellationToken = default, bool handleCtrlC = true)
    {
        ArgumentNullException.ThrowIfNull(root);
        ArgumentNullException.ThrowIfNull(args);
        // Server commands print from socket threads while the main thread waits.
        output = TextWriter.Synchronized(output);
        error = TextWriter.Synchronized(error);

        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var parseError in parsed.Errors)
            {
                await error.WriteLineAsync($"{Name}: {parseError.Message}").ConfigureAwait(false);
            }
            await error.WriteLineAsync(Usage(parsed.CommandResult)).ConfigureAwait(false);
            return UsageExitCode;
        }

        var configuration = new InvocationConfiguration
        {
            Output = output,
            Error = error,
            ProcessTerminationTimeout = handleCtrlC ? TimeSpan.FromSeconds(2) : null,
        };
        return await parsed.InvokeAsync(configuration, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The usage line of a command: <c>Usage: sockets echo-server [host] [port]</c>; optional arguments in brackets.</summary>
    public static string Usage(CommandResult commandResult)
    {
        ArgumentNullException.ThrowIfNull(commandResult);
        var path = new Stack<string>();
        for (SymbolResult? at = commandResult; at is not null; at = at.Parent)
        {
            if (at is CommandResult { Command: var command } && command is not RootCommand)
            {
                path.Push(command.Name);
            }
        }
        var shown = commandResult.Command;
        var words = new List<string> { Name };
        words.AddRange(path);
        if (shown.Subcommands.Count > 0 && shown.Arguments.Count == 0)
        {
            words.Add("<command>");
        }
        words.AddRange(shown.Arguments.Select(a => a.HasDefaultValue ? $"[{a.Name}]" : $"<{a.Name}>"));
        return $"Usage: {string.Join(' ', words)}   (--help for details)";
    }
}
