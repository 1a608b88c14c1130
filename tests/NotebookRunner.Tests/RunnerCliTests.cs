
namespace NotebookRunner.Tests;

public sealed class RunnerCliTests
{
    [Theory]
    [InlineData("")]
    [InlineData("--bogus notebooks")]
    [InlineData("a.ipynb b.ipynb")]
    [InlineData("/no/such/folder")]
    [InlineData("--out")]
    public async Task Run_BadArguments_UsageAndExit2(string commandLine)
    {
        string[] args = commandLine.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var stdout = new StringWriter();
        var stderr = new StringWriter();

        int exit = await RunnerCli.RunAsync(args, stdout, stderr);

        Assert.Equal(2, exit);
        Assert.Contains(RunnerCli.Usage, stderr.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_FolderWithMalformedFailingAndGoodNotebooks_RunsAllInNameOrderAndExits1()
    {
        using var nb = new TestNotebook();
        nb.Write("01-good.ipynb", "md:# Good", "var a = 1;", "a + 1");
        File.WriteAllText(Path.Combine(nb.Directory, "02-broken.ipynb"), "{ not json");
        nb.Write("03-fails.ipynb", "var b = 1;", "b / (b - 1)");
        var stdout = new StringWriter();
        var stderr = new StringWriter();

        int exit = await RunnerCli.RunAsync(["--out", nb.OutputDirectory, nb.Directory], stdout, stderr);

        Assert.Equal(1, exit);
        string progress = stdout.ToString();
        Assert.Contains("01-good.ipynb  cell 2/2 ✓", progress, StringComparison.Ordinal);
        Assert.Contains("03-fails.ipynb  cell 2/2 ✗", progress, StringComparison.Ordinal);
        Assert.True(progress.IndexOf("01-good", StringComparison.Ordinal) < progress.IndexOf("03-fails", StringComparison.Ordinal));
        Assert.Contains("kernel: Microsoft.dotnet-interactive 1.0.712001, pinned in", progress, StringComparison.Ordinal);
        Assert.Matches(@"01-good\.ipynb\s+kernel ready in [\d.]+ s", progress);
        Assert.Matches(@"01-good\.ipynb\s+2/2\s+[\d.]+\s+[\d.]+ s\s+0\s+ok", progress);
        Assert.Matches(@"03-fails\.ipynb\s+1/2\s+[\d.]+\s+[\d.]+ s\s+0\s+FAILED at cell 2", progress);
        Assert.Matches(@"02-broken\.ipynb\s+0/0\s+[\d.]+\s+[\d.]+ s\s+0\s+REFUSED", progress);
        Assert.Contains("03-fails.ipynb: cell 2: DivideByZeroException", stderr.ToString(), StringComparison.Ordinal);
        Assert.Contains("02-broken.ipynb: is not valid JSON", stderr.ToString(), StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(nb.OutputDirectory, "03-fails.html")), "a failing notebook's page is still written");
        Assert.True(File.Exists(Path.Combine(nb.OutputDirectory, "01-good.ipynb")));
        Assert.False(File.Exists(Path.Combine(nb.OutputDirectory, "02-broken.html")));
    }

    [Fact]
    public async Task Run_OneGoodNotebookFile_Exit0()
    {
        using var nb = new TestNotebook();
        string path = nb.Write("01-one.ipynb", "1");

        int exit = await RunnerCli.RunAsync(["--out", nb.OutputDirectory, path], TextWriter.Null, TextWriter.Null);

        Assert.Equal(0, exit);
        Assert.True(File.Exists(Path.Combine(nb.OutputDirectory, "01-one.html")));
    }
}
