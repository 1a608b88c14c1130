using SocketsNotebooks.Inside;

namespace SocketsNotebooks.Tests.Inside;

/// <summary>
/// What a test of notebook 07's library needs from the machine: the right to capture, to make network namespaces,
/// a tool. Without it the test skips and says why, except under CI=true (.ci/run runs as root and installs the
/// tools), where a missing right or tool fails instead.
/// </summary>
internal static class Privileges
{
    private static readonly Lazy<CaptureRights> s_capture = new(() => SegmentCapture.Check());
    private static readonly Lazy<(bool CanCreate, string Reason)> s_namespaces = new(NetworkNamespace.Check);

    public static bool InCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    public static void RequireLinux() => Require(OperatingSystem.IsLinux(), "TCP_INFO, captures and namespaces are Linux's");

    public static void RequireCapture()
    {
        RequireLinux();
        Require(s_capture.Value.CanCapture, $"this process may not capture: {s_capture.Value.Reason}");
    }

    public static void RequireNamespaces()
    {
        RequireLinux();
        Require(s_namespaces.Value.CanCreate, $"this process may not make network namespaces: {s_namespaces.Value.Reason}");
    }

    /// <summary>The full path of <paramref name="program"/> on PATH.</summary>
    public static string RequireTool(string program, string package)
    {
        string? path = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Select(dir => Path.Combine(dir, program)).FirstOrDefault(File.Exists);
        Require(path is not null, $"{program} is not installed (Debian: apt-get install {package})");
        return path!;
    }

    private static void Require(bool condition, string reason)
    {
        if (!condition)
        {
            Assert.False(InCi, $"under CI=true this must work: {reason}");
            Skip.If(true, reason);
        }
    }
}
