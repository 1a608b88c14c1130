using System.Text;
using SocketsNotebooks.Cli;

// The console's own stdout writer flushes every 256 characters, so a batch of server lines
// (BufferedLines) would still leave in 256-byte write(2)s. The same writer on the same stream with a
// larger buffer: still flushed after every write (a line shows at once), but a batch goes out whole.
// Set as Console.Out so Spectre.Console still recognises the terminal (it compares with Console.Out).
var stdoutEncoding = Console.OutputEncoding is UTF8Encoding ? new UTF8Encoding(encoderShouldEmitUTF8Identifier: false) : Console.OutputEncoding;
Console.SetOut(new StreamWriter(Console.OpenStandardOutput(), stdoutEncoding, BufferedLines.DefaultCapacity) { AutoFlush = true });

// The `sockets` command: the tutorial's scripts as subcommands, one group per notebook of the course, and the benches.
var root = SocketsRoot.Create(
    EchoCommands.Create(),
    MultiConnCommands.Create(),
    AppCommands.Create(),
    TroubleshootingCommands.Create(),
    PubSubCommands.Create(),
    ConcurrencyCommands.Create(),
    BenchCommands.Create());
InsideCommands.AddTo(root);

return await SocketsRoot.InvokeAsync(root, args, Console.Out, Console.Error);
