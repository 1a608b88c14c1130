using System.Diagnostics;
using System.Text.RegularExpressions;

namespace SocketsNotebooks.Cli.Tests.Servers;

/// <summary>
/// A <c>sockets</c> server command in a child process of its own, so the test can give it a low
/// descriptor limit (<c>ulimit -n</c>) without lowering its own. Its output is collected line by line.
/// </summary>
public sealed partial class ChildServer : IAsyncDisposable
{
    private readonly Process _process;

    private ChildServer(Process process)
    {
        _process = process;
    }

    /// <summary>What the server printed, line by line.</summary>
    public LineWriter Output { get; } = new();

    /// <summary>The port it printed in its "Listening on" line.</summary>
    public int Port { get; private set; }

    /// <summary>The child's process id.</summary>
    public int Id => _process.Id;

    /// <summary>The child's exit code (134 = SIGABRT, how the runtime aborts), or null while it runs.</summary>
    public int? ExitCode => _process.HasExited ? _process.ExitCode : null;

    /// <summary>Starts <c>sockets <paramref name="args"/></c> under <c>ulimit -n <paramref name="descriptorLimit"/></c> and waits for its "Listening on" line.</summary>
    public static Task<ChildServer> StartAsync(int descriptorLimit, TimeSpan timeout, params string[] args) =>
        StartAsync(descriptorLimit, timeout, [], args);

    /// <summary>Like <see cref="StartAsync(int, TimeSpan, string[])"/>, with extra environment variables for the child.</summary>
    public static async Task<ChildServer> StartAsync(int descriptorLimit, TimeSpan timeout, KeyValuePair<string, string>[] environment, params string[] args)
    {
        string dll = Path.Combine(AppContext.BaseDirectory, "sockets.dll");
        var start = new ProcessStartInfo("/bin/sh")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        // sh -c 'script' name arg...: "$0" is the dll, "$@" the command's arguments.
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add($"ulimit -n {descriptorLimit} && exec dotnet \"$0\" \"$@\"");
        start.ArgumentList.Add(dll);
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }
        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start the child server");
        var child = new ChildServer(process);
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { child.Output.WriteLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { child.Output.WriteLine("stderr: " + e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            string listening = await child.Output.WaitForLineAsync(l => l.StartsWith("Listening on ", StringComparison.Ordinal), timeout);
            child.Port = int.Parse(PortInLine().Match(listening).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        }
        catch
        {
            await child.DisposeAsync();
            throw;
        }
        return child;
    }

    /// <summary>Ends the child (it is a server: it never ends by itself) and waits for it.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }
        await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
        _process.Dispose();
    }

    // "('127.0.0.1', 65432)" or "127.0.0.1:65432"
    [GeneratedRegex(@"[,:] ?(\d+)\)?$")]
    private static partial Regex PortInLine();
}
