using SocketsNotebooks.Cli;

// The `sockets` command: the tutorial's scripts as subcommands, one group per notebook of the course, and the benches.
var root = SocketsRoot.Create(
    EchoCommands.Create(),
    MultiConnCommands.Create(),
    AppCommands.Create(),
    TroubleshootingCommands.Create(),
    PubSubCommands.Create(),
    BenchCommands.Create());
InsideCommands.AddTo(root);

return await SocketsRoot.InvokeAsync(root, args, Console.Out, Console.Error);
