using System.Diagnostics;
using System.Text.Json;
using Xunit.Abstractions;

namespace NotebookRunner.Tests;

/// <summary>
/// .devcontainer/devcontainer.json as the devcontainers CLI reads it (<c>devcontainer
/// read-configuration</c>, which needs no Docker): it parses, and it asks for what the course needs.
/// </summary>
/// <remarks>
/// A test rather than a line in .ci/run so the same checks run for a developer (with node) and in
/// CI, and so they can look inside the configuration: the files it names must exist in the
/// repository. The CLI's parser is lenient (it reads <c>{ "image": "x", </c> without complaint), so
/// the file is also parsed strictly here. The CLI starts by asking Docker for a running container of this folder; with no
/// Docker here, <c>--docker-path</c> points at <c>true</c>, a stand-in that lists none.
/// </remarks>
public sealed class DevcontainerTests(ITestOutputHelper output)
{
    private static string ConfigPath => Path.Combine(Repository.Root, ".devcontainer", "devcontainer.json");

    [Fact]
    public void DevcontainerJson_AsJsonWithComments_AsksForWhatTheCourseNeeds()
    {
        using JsonDocument json = JsonDocument.Parse(File.ReadAllText(ConfigPath),
            new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });

        AssertCourseConfiguration(json.RootElement);
    }

    [SkippableFact]
    public async Task DevcontainerJson_ReadByTheDevcontainersCli_AsksForWhatTheCourseNeeds()
    {
        RequireCli();
        var clock = Stopwatch.StartNew();

        (int exit, string stdout, string stderr) = await ReadConfigurationAsync(Repository.Root);

        output.WriteLine($"devcontainer read-configuration: exit {exit}, {clock.Elapsed.TotalSeconds:0.0} s");
        Assert.True(exit == 0, $"devcontainer read-configuration failed ({exit}):\n{stderr}");
        using JsonDocument read = JsonDocument.Parse(stdout);
        AssertCourseConfiguration(read.RootElement.GetProperty("configuration"));
    }

    [SkippableFact]
    public async Task DevcontainersCli_ConfigurationThatIsNotAnObject_Refused()
    {
        RequireCli();
        using var folder = new TestNotebook();
        Directory.CreateDirectory(Path.Combine(folder.Directory, ".devcontainer"));
        File.WriteAllText(Path.Combine(folder.Directory, ".devcontainer", "devcontainer.json"), "[ \"image\" ]");

        (int exit, _, string stderr) = await ReadConfigurationAsync(folder.Directory);

        output.WriteLine(stderr);
        Assert.NotEqual(0, exit);
    }

    private static void AssertCourseConfiguration(JsonElement configuration)
    {
        // One pinned .NET 10 devcontainer image (the kernel needs the .NET 10 SDK; net8.0 builds with it).
        string image = configuration.GetProperty("image").GetString()!;
        Assert.StartsWith("mcr.microsoft.com/devcontainers/dotnet:", image, StringComparison.Ordinal);
        Assert.Contains("10.0", image, StringComparison.Ordinal);

        string[] extensions = configuration.GetProperty("customizations").GetProperty("vscode").GetProperty("extensions")
            .EnumerateArray().Select(e => e.GetString()!).ToArray();
        Assert.Contains("ms-dotnettools.dotnet-interactive-vscode", extensions);
        Assert.Contains("ms-dotnettools.csharp", extensions);
        Assert.Contains("ms-toolsai.jupyter", extensions);

        // The build that makes the notebooks' #r path exist, finished before the editor connects.
        string build = configuration.GetProperty("postCreateCommand").GetString()!;
        Assert.Equal($"dotnet build {RepoRoot.SolutionFile}", build);
        Assert.Equal("postCreateCommand", configuration.GetProperty("waitFor").GetString());

        // Notebook 07's captures: libpcap and tcpdump installed, the right to capture given to the dotnet host,
        // and the container allowed to hand it out.
        string onCreate = configuration.GetProperty("onCreateCommand").GetString()!;
        Assert.Contains("libpcap0.8", onCreate, StringComparison.Ordinal);
        Assert.Contains("tcpdump", onCreate, StringComparison.Ordinal);
        Assert.Contains("setcap cap_net_raw,cap_net_admin+eip", onCreate, StringComparison.Ordinal);
        string[] capabilities = configuration.GetProperty("capAdd").EnumerateArray().Select(e => e.GetString()!).ToArray();
        Assert.Contains("NET_RAW", capabilities);
        Assert.Contains("NET_ADMIN", capabilities);

        string[] opened = configuration.GetProperty("customizations").GetProperty("codespaces").GetProperty("openFiles")
            .EnumerateArray().Select(e => e.GetString()!).ToArray();
        Assert.Equal(["notebooks/01-echo.ipynb"], opened);
        Assert.All(opened, file => Assert.True(File.Exists(Path.Combine(Repository.Root, file)), $"{file} is opened but missing"));
    }

    private static async Task<(int Exit, string Stdout, string Stderr)> ReadConfigurationAsync(string workspace)
    {
        var start = new ProcessStartInfo(Cli!)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in new[] { "read-configuration", "--workspace-folder", workspace, "--docker-path", DockerStandIn! })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        return (process.ExitCode, await stdout, await stderr);
    }

    private static string? Cli { get; } = OnPath("devcontainer");

    private static string? DockerStandIn { get; } = OnPath("true");

    private static void RequireCli()
    {
        if (Cli is null || DockerStandIn is null)
        {
            Assert.False(Repository.InCi, "the devcontainers CLI is missing under CI=true: .ci/run installs it (npm i -g @devcontainers/cli)");
            Skip.If(true, "the devcontainers CLI is not installed (npm i -g @devcontainers/cli)");
        }
    }

    private static string? OnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Select(dir => Path.Combine(dir, name))
            .FirstOrDefault(File.Exists);
}
