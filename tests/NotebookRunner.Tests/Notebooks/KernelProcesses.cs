namespace NotebookRunner.Tests;

/// <summary>
/// The kernel processes still alive for one notebook folder, found by the <c>--working-dir</c> on
/// their command line (each test's folder is unique), so a test can check that its kernel was ended.
/// </summary>
internal static class KernelProcesses
{
    /// <summary>The ids of live processes whose command line names <paramref name="directory"/> (Linux; empty elsewhere).</summary>
    public static IReadOnlyList<int> WorkingIn(string directory)
    {
        if (!OperatingSystem.IsLinux())
        {
            return [];
        }

        var found = new List<int>();
        foreach (string process in Directory.GetDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(process), out int pid))
            {
                continue;
            }

            try
            {
                string commandLine = File.ReadAllText(Path.Combine(process, "cmdline")).Replace('\0', ' ');
                if (commandLine.Contains("dotnet-interactive", StringComparison.OrdinalIgnoreCase)
                    || commandLine.Contains("Microsoft.DotNet.Interactive.App", StringComparison.Ordinal))
                {
                    if (commandLine.Contains(Path.GetFullPath(directory), StringComparison.Ordinal))
                    {
                        found.Add(pid);
                    }
                }
            }
            catch (IOException)
            {
                // Gone while we looked.
            }
            catch (UnauthorizedAccessException)
            {
                // Not ours.
            }
        }

        return found;
    }
}
