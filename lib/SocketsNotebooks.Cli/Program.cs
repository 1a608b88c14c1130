using SocketsNotebooks.Cli;

// The `sockets` command: the tutorial's scripts as subcommands, one line per section of the course.
var root = SocketsRoot.Create(
    EchoCommands.Create(),
    MultiConnCommands.Create(), BenchCommands.Create(),
    AppCommands.Create(),
    TroubleshootingCommands.Create());
PubSubCommands.AddTo(root);
InsideCommands.AddTo(root);

return await SocketsRoot.InvokeAsync(root, args, Console.Out, Console.Error);
