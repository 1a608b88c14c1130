using System.CommandLine;
using SocketsNotebooks.Troubleshooting;

namespace SocketsNotebooks.Cli;

/// <summary>
/// Notebook 04 in a terminal: <c>sockets netstat</c> shows the sockets of a running exercise (with Recv-Q and Send-Q
/// on Linux), <c>sockets errors</c> the error reference.
/// </summary>
public static class TroubleshootingCommands
{
    /// <summary>This notebook's commands: <c>netstat</c> and <c>errors</c>.</summary>
    public static IEnumerable<Command> Create() => [Netstat(), Errors()];

    private static Command Netstat()
    {
        // Unlike the exercise commands, no port means every socket: netstat is for looking around.
        var port = CliArguments.Port("only sockets with this local or remote port; 0 or none = every TCP socket", defaultPort: 0);
        var command = new Command("netstat", "The TCP sockets on this machine, netstat -tan style (Recv-Q and Send-Q on Linux).") { port };
        command.SetAction(parsed =>
        {
            int filter = parsed.GetValue(port);
            var rows = SocketTable.Snapshot(filter == 0 ? null : filter);
            var output = parsed.InvocationConfiguration.Output;
            output.WriteLine(SocketTable.Format(rows));
            if (!SocketTable.HasQueues)
            {
                output.WriteLine("(this OS does not report queue sizes: Recv-Q and Send-Q show as -)");
            }
            return 0;
        });
        return command;
    }

    private static Command Errors()
    {
        var command = new Command("errors", "The common socket errors: C# SocketError, errno, Python exception, meaning.");
        command.SetAction(parsed =>
        {
            var output = parsed.InvocationConfiguration.Output;
            foreach (var row in SocketErrorReference.Table)
            {
                output.WriteLine(row.ToString());
                output.WriteLine($"    {row.Meaning}");
            }
            return 0;
        });
        return command;
    }
}
