using System.ComponentModel;
using System.Diagnostics;

namespace SocketsNotebooks.Inside;

/// <summary>Runs the system's network tools (<c>ip</c>, <c>tc</c>, <c>nft</c>): bounded, output kept, failures explained.</summary>
internal static class Command
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(10);

    /// <summary>Runs <paramref name="program"/>; a non-zero exit throws <see cref="InvalidOperationException"/> with its stderr.</summary>
    public static string Run(string program, params string[] args) => Run(program, null, args);

    /// <summary>Like <see cref="Run(string, string[])"/>, writing <paramref name="input"/> to the program's stdin first.</summary>
    public static string Run(string program, string? input, params string[] args)
    {
        var (exit, output, error) = TryRun(program, input, args);
        return exit == 0 ? output
            : throw new InvalidOperationException($"`{program} {string.Join(' ', args)}` failed (exit {exit}): {error.Trim()}");
    }

    /// <summary>Runs a program and returns its exit code and output; a program that is not installed gives exit 127.</summary>
    public static (int Exit, string Output, string Error) TryRun(string program, string? input, params string[] args)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = input is not null,
            UseShellExecute = false,
        };
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {program}");
        }
        catch (Win32Exception)
        {
            return (127, "", $"{program} is not installed");
        }
        using (process)
        {
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            if (input is not null)
            {
                process.StandardInput.Write(input);
                process.StandardInput.Close();
            }
            if (!process.WaitForExit(s_timeout))
            {
                process.Kill(entireProcessTree: true);
                return (124, "", $"{program} did not finish within {s_timeout.TotalSeconds} s");
            }
            return (process.ExitCode, output.GetAwaiter().GetResult(), error.GetAwaiter().GetResult());
        }
    }
}
