using System.Diagnostics;
using System.Text.Json;

namespace NotebookRunner.Kernel;

/// <summary>
/// The kernel VS Code starts for a Polyglot notebook: the <c>Microsoft.dotnet-interactive</c> tool,
/// pinned in the repository's tool manifest (<c>.config/dotnet-tools.json</c>) and started with
/// <c>dotnet tool run</c> from the manifest's folder, as the extension starts it from the folder of
/// its own manifest.
/// </summary>
public sealed class KernelTool
{
    /// <summary>The tool's package id.</summary>
    public const string PackageId = "Microsoft.dotnet-interactive";

    /// <summary>The tool's command name in the manifest.</summary>
    public const string CommandName = "dotnet-interactive";

    /// <summary>The manifest's path below the folder it pins tools for.</summary>
    public static readonly string ManifestPath = Path.Combine(".config", "dotnet-tools.json");

    private KernelTool(string manifestRoot)
    {
        ManifestRoot = manifestRoot;
    }

    /// <summary>The folder holding <c>.config/dotnet-tools.json</c>; <c>dotnet tool run</c> runs there.</summary>
    public string ManifestRoot { get; }

    /// <summary>
    /// The tool pinned for notebooks in <paramref name="notebookDirectory"/>: the nearest manifest at or
    /// above that folder, else the one above the runner itself (a notebook copied to a temporary folder
    /// still runs in the repository's pinned kernel).
    /// </summary>
    public static KernelTool Locate(string notebookDirectory)
    {
        string? root = FindManifestRoot(notebookDirectory) ?? FindManifestRoot(AppContext.BaseDirectory);
        return root is null
            ? throw new KernelException($"no {ManifestPath} pinning {CommandName} at or above {notebookDirectory} or {AppContext.BaseDirectory}")
            : new KernelTool(root);
    }

    /// <summary>
    /// <c>dotnet tool restore</c> in the manifest's folder: on a fresh machine it installs the pinned
    /// kernel (about 40 MB from the package feed); once installed it only checks, in a fraction of a second.
    /// </summary>
    public async Task RestoreAsync(TextWriter progress, CancellationToken cancellationToken = default)
    {
        var restore = Dotnet(ManifestRoot, "tool", "restore");
        restore.RedirectStandardOutput = true;
        restore.RedirectStandardError = true;
        using Process process = Process.Start(restore) ?? throw new KernelException("could not start `dotnet tool restore`");
        Task<string> output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        Task<string> errors = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        if (process.ExitCode != 0)
        {
            throw new KernelException($"`dotnet tool restore` in {ManifestRoot} failed (exit code {process.ExitCode}):\n{await output.ConfigureAwait(false)}{await errors.ConfigureAwait(false)}");
        }

        progress.WriteLine($"kernel: {PackageId} {PinnedVersion()}, pinned in {Path.Combine(ManifestRoot, ManifestPath)}");
    }

    /// <summary>The tool's version the manifest pins, e.g. <c>1.0.712001</c>.</summary>
    public string PinnedVersion()
    {
        using JsonDocument manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(ManifestRoot, ManifestPath)));
        return manifest.RootElement.GetProperty("tools").EnumerateObject()
            .Where(tool => tool.Name.Equals(PackageId, StringComparison.OrdinalIgnoreCase))
            .Select(tool => tool.Value.GetProperty("version").GetString())
            .FirstOrDefault() ?? throw new KernelException($"{Path.Combine(ManifestRoot, ManifestPath)} does not pin {PackageId}");
    }

    /// <summary>
    /// How to start the stdio kernel for a notebook in <paramref name="notebookDirectory"/>: the C#
    /// kernel by default and the notebook's folder as its working directory, so <c>#r</c> paths and
    /// file reads in cells are relative to the notebook, as in VS Code.
    /// </summary>
    public ProcessStartInfo StdioKernel(string notebookDirectory)
    {
        var start = Dotnet(ManifestRoot, "tool", "run", CommandName, "--",
            "stdio", "--default-kernel", "csharp", "--working-dir", Path.GetFullPath(notebookDirectory));
        start.RedirectStandardInput = true;
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.StandardOutputEncoding = System.Text.Encoding.UTF8;
        start.StandardErrorEncoding = System.Text.Encoding.UTF8;
        return start;
    }

    private static ProcessStartInfo Dotnet(string workingDirectory, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = workingDirectory, UseShellExecute = false };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // No telemetry banner or first-run text in the way of the protocol; the kernel skips its own too.
        start.Environment["DOTNET_INTERACTIVE_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        return start;
    }

    private static string? FindManifestRoot(string start)
    {
        for (DirectoryInfo? dir = new(Path.GetFullPath(start)); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, ManifestPath)))
            {
                return dir.FullName;
            }
        }

        return null;
    }
}
