using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.DotNet.Interactive.Commands;
using Microsoft.DotNet.Interactive.Connection;
using Microsoft.DotNet.Interactive.Events;

namespace NotebookRunner.Kernel;

/// <summary>
/// One running stdio kernel, for one notebook: commands go to its stdin as JSON lines, events come
/// back on its stdout as JSON lines (POLYGLOT.md, "The kernel's stdio protocol"). The envelopes are
/// the kernel package's own types, so what is written and read is exactly the kernel's protocol.
/// </summary>
/// <remarks>
/// The package's <c>StdIoKernelConnector</c> would start the process too, but it neither ends the
/// process when disposed nor tells its caller when the kernel dies (an <c>Environment.Exit</c> in a
/// cell ended the host silently here), and a runner must do both; so this class owns the process.
/// </remarks>
public sealed class KernelSession : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Channel<KernelEvent> _events = Channel.CreateUnbounded<KernelEvent>();
    private readonly KernelStderr _stderr;
    private readonly Task _reader;
    private IReadOnlyList<int> _killed = [];

    private KernelSession(Process process)
    {
        _process = process;
        _stderr = new KernelStderr(process.StandardError);
        _reader = Task.Run(ReadEventsAsync);
    }

    /// <summary>The process id of <c>dotnet tool run</c>; the kernel itself is its child.</summary>
    public int ProcessId => _process.Id;

    /// <summary>
    /// Starts the kernel for a notebook in <paramref name="notebookDirectory"/> and waits for its
    /// <c>KernelReady</c> event (a few seconds: the tool starts its .NET, C#, F# and other kernels).
    /// </summary>
    public static async Task<KernelSession> StartAsync(KernelTool tool, string notebookDirectory, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(tool);
        Process process = Process.Start(tool.StdioKernel(notebookDirectory))
            ?? throw new KernelException($"could not start `dotnet tool run {KernelTool.CommandName}` in {tool.ManifestRoot}");
        var session = new KernelSession(process);
        try
        {
            await session.ReadUntilAsync(e => e is KernelReady, _ => { }, timeout, "starting").ConfigureAwait(false);
            return session;
        }
        catch
        {
            await session.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Submits <paramref name="code"/> to the kernel named <paramref name="kernelName"/> as VS Code
    /// does for a cell, and returns the events that belong to it (its token, or a child token such as
    /// <c>cell3.1</c>) up to and including its <c>CommandSucceeded</c> or <c>CommandFailed</c>.
    /// A cell still running after <paramref name="timeout"/> ends the kernel and throws.
    /// </summary>
    public async Task<IReadOnlyList<KernelEvent>> SubmitCodeAsync(string code, string kernelName, string token, TimeSpan timeout)
    {
        var command = new SubmitCode(code, kernelName);
        command.SetToken(token);
        await _process.StandardInput.WriteLineAsync(KernelCommandEnvelope.Serialize(command)).ConfigureAwait(false);
        await _process.StandardInput.FlushAsync().ConfigureAwait(false);

        var events = new List<KernelEvent>();
        await ReadUntilAsync(
            e => e is KernelCommandCompletionEvent && TokenOf(e) == token,
            e =>
            {
                if (TokenOf(e) is { } t && (t == token || t.StartsWith(token + ".", StringComparison.Ordinal)))
                {
                    events.Add(e);
                }
            },
            timeout,
            "running the cell").ConfigureAwait(false);
        return events;
    }

    /// <summary>The ids of the kernel's processes (the tool host and its children), for a look at what they hold open.</summary>
    public IReadOnlyList<int> ProcessIds() => ProcessTree.WithDescendants(_process.Id);

    /// <summary>
    /// Ends the kernel by killing its process tree, as VS Code does when a notebook closes. Closing
    /// stdin is not enough: kernel 1.0.712001 then spins at full CPU and never exits (checked here).
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        Kill();
        await ProcessTree.WaitForEndAsync(_killed, TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        await _reader.ConfigureAwait(false);
        _process.Dispose();
    }

    private async Task ReadUntilAsync(Func<KernelEvent, bool> last, Action<KernelEvent> take, TimeSpan timeout, string what)
    {
        using var timer = new CancellationTokenSource(timeout);
        try
        {
            await foreach (KernelEvent e in _events.Reader.ReadAllAsync(timer.Token).ConfigureAwait(false))
            {
                take(e);
                if (last(e))
                {
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (timer.IsCancellationRequested)
        {
            Kill();
            throw new KernelException($"the kernel was still {what} after {timeout.TotalSeconds:0} s, so it was ended");
        }

        // The reader completed the channel: stdout ended because the process did.
        await _reader.ConfigureAwait(false);
        string code = _process.HasExited ? _process.ExitCode.ToString(System.Globalization.CultureInfo.InvariantCulture) : "unknown";
        throw new KernelException($"the kernel exited (exit code {code}) while {what}{_stderr.Describe()}");
    }

    private async Task ReadEventsAsync()
    {
        try
        {
            while (await _process.StandardOutput.ReadLineAsync().ConfigureAwait(false) is { } line)
            {
                // Banner lines are not JSON; lines without an eventType are commands the kernel sends
                // its host (input requests and the like), which a headless run does not answer.
                if (line.StartsWith('{') && line.Contains("\"eventType\"", StringComparison.Ordinal) && Deserialize(line) is { } e)
                {
                    _events.Writer.TryWrite(e);
                }
            }
        }
        finally
        {
            await _process.WaitForExitAsync().ConfigureAwait(false);
            await _stderr.Completion.ConfigureAwait(false);
            _events.Writer.TryComplete();
        }
    }

    // An event type this version of the protocol package does not know (a newer kernel) is skipped:
    // the runner maps only the events it knows to outputs anyway.
    private static KernelEvent? Deserialize(string line)
    {
        try
        {
            return KernelEventEnvelope.Deserialize(line).Event;
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or InvalidOperationException or ArgumentException or KeyNotFoundException)
        {
            return null;
        }
    }

    private static string? TokenOf(KernelEvent e) => e.Command is { } command ? command.GetOrCreateToken() : null;

    private void Kill()
    {
        if (!_process.HasExited)
        {
            // Taken before the kill: a dead process's children cannot be listed any more.
            _killed = ProcessIds();
        }

        try
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // It has exited already.
        }
    }
}
