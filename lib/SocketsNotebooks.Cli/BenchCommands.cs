using System.CommandLine;

namespace SocketsNotebooks.Cli;

/// <summary>
/// <c>sockets bench ...</c>: load generators that measure a server of the course. A command to run
/// and read, not a test: the numbers depend on the machine and on what else runs on it. Every bench
/// takes its options from <see cref="BenchOptions"/>, so the same option checks the same way everywhere.
/// </summary>
public static class BenchCommands
{
    /// <summary>The <c>bench</c> command and its subcommands, one per server of the course.</summary>
    public static IEnumerable<Command> Create() =>
    [
        new Command("bench", "Measure a server: requests/s, MiB/s, latency, fan-out, concurrency models side by side.")
        {
            MultiConnBenchCommand.Create(),
            AppBenchCommand.Create(),
            PubSubBenchCommand.Create(),
            ConcurrencyBenchCommand.Create(),
        },
    ];
}
