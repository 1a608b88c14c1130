using NotebookRunner.Export;
using NotebookRunner.Notebooks;

namespace NotebookRunner.Tests;

/// <summary>The notebook → file-based app translation, on small notebooks in a repository-shaped temporary folder.</summary>
public sealed class FileBasedAppTests
{
    [Fact]
    public void Export_NotebookCells_DirectivesHoistedUsingsMarkdownCommentsTrailingExpressionsDisplayed()
    {
        using var repo = new FakeRepository();
        string path = repo.WriteNotebook("01-x.ipynb",
            "md:# 01 · X\n\nSome *text*.",
            "#r \"nuget: Humanizer.Core, 2.14.1\"\n#r \"../artifacts/bin/Lib/debug/Lib.dll\"\nusing System.Net;\nusing Lib.Echo;",
            "md:## Step",
            "using System.Buffers;\nvar a = 1;",
            "a + 1",
            "display(a)",
            "var b = a;\nnew\n{\n    A = a,\n    B = b,\n}",
            "a += 1;");

        string app = FileBasedApp.Export(NotebookFile.Load(path), repo.Exports);

        Assert.DoesNotContain("#r ", app, StringComparison.Ordinal);
        Assert.Contains("\n#:package Humanizer.Core@2.14.1\n", app, StringComparison.Ordinal);
        Assert.Contains("\n#:project ../lib/Lib/Lib.csproj\n", app, StringComparison.Ordinal);
        // Always the course library too: the app's display(...) draws its charts.
        Assert.Contains("\n#:project ../lib/SocketsNotebooks/SocketsNotebooks.csproj\n", app, StringComparison.Ordinal);
        Assert.Contains("void display(object value, params string[] mimeTypes) => SocketsNotebooks.Charts.TerminalDisplay.Show(value);", app, StringComparison.Ordinal);
        Assert.Contains("// # 01 · X\n//\n// Some *text*.\n", app, StringComparison.Ordinal);

        // Every using, the kernel's defaults first, comes before the first statement.
        int firstStatement = app.IndexOf("var a = 1;", StringComparison.Ordinal);
        Assert.True(app.IndexOf("using System.Linq;", StringComparison.Ordinal) < app.IndexOf("using System.Net;", StringComparison.Ordinal));
        Assert.True(app.IndexOf("using System.Buffers;", StringComparison.Ordinal) < firstStatement);
        Assert.True(app.IndexOf("using Lib.Echo;", StringComparison.Ordinal) < firstStatement);
        Assert.True(app.IndexOf("// ## Step", StringComparison.Ordinal) < firstStatement);

        Assert.Contains("\ndisplay(a + 1);\n", app, StringComparison.Ordinal);
        Assert.Contains("\ndisplay(a);\n", app, StringComparison.Ordinal);
        Assert.Contains("var b = a;\ndisplay(new\n{\n    A = a,\n    B = b,\n});\n", app, StringComparison.Ordinal);
        Assert.Contains("\na += 1;\n", app, StringComparison.Ordinal);
        Assert.DoesNotContain("static class", app, StringComparison.Ordinal);
    }

    [Fact]
    public void Export_CellDeclaresAClass_ClassMovedAfterEveryStatement()
    {
        using var repo = new FakeRepository();
        string path = repo.WriteNotebook("01-x.ipynb",
            "#r \"../artifacts/bin/Lib/debug/Lib.dll\"",
            "// one connection's state\nclass Conn\n{\n    public int Sent;\n}\nvar c = new Conn();",
            "record Pair(int A, int B);\nc.Sent = new Pair(1, 2).A;");

        string app = FileBasedApp.Export(NotebookFile.Load(path), repo.Exports);

        // After every statement, including the display helper's local function (CS8803 otherwise).
        int lastStatement = app.IndexOf("void display(", StringComparison.Ordinal);
        Assert.True(app.IndexOf("\nclass Conn\n", StringComparison.Ordinal) > lastStatement);
        Assert.True(app.IndexOf("\nrecord Pair(int A, int B);", StringComparison.Ordinal) > lastStatement);
        Assert.True(app.IndexOf("// one connection's state\nclass Conn", StringComparison.Ordinal) > lastStatement);
        Assert.Contains("// (class Conn is at the end of this file, where a file-based app wants its types)\nvar c = new Conn();", app, StringComparison.Ordinal);
        Assert.True(app.IndexOf("\nclass Conn\n", StringComparison.Ordinal) < app.IndexOf("\nrecord Pair", StringComparison.Ordinal));
    }

    [Fact]
    public void Export_DllThatNoLibraryProjectBuilds_RefusedNamingTheReference()
    {
        using var repo = new FakeRepository();
        string path = repo.WriteNotebook("01-x.ipynb", "#r \"../somewhere/Other.dll\"");

        var e = Assert.Throws<NotebookFormatException>(() => FileBasedApp.Export(NotebookFile.Load(path), repo.Exports));

        Assert.Contains("../somewhere/Other.dll", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExportCli_WriteThenCheck_UpToDateThenStaleAfterTheNotebookChanged()
    {
        using var repo = new FakeRepository();
        string path = repo.WriteNotebook("01-x.ipynb", "md:# X", "1 + 1");
        var stdout = new StringWriter();

        Assert.Equal(0, await RunnerCli.RunAsync(["export", path], stdout, TextWriter.Null));
        Assert.True(File.Exists(Path.Combine(repo.Exports, "01-x.cs")), stdout.ToString());
        Assert.Equal(0, await RunnerCli.RunAsync(["export", "--check", repo.Notebooks], TextWriter.Null, TextWriter.Null));

        repo.WriteNotebook("01-x.ipynb", "md:# X", "2 + 2");
        var check = new StringWriter();
        int exit = await RunnerCli.RunAsync(["export", "--check", repo.Notebooks], check, TextWriter.Null);

        Assert.Equal(1, exit);
        Assert.Contains("STALE", check.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("export")]
    [InlineData("export --all notebooks")]
    [InlineData("export --bogus x.ipynb")]
    public async Task ExportCli_BadArguments_UsageAndExit2(string commandLine)
    {
        var stderr = new StringWriter();

        int exit = await RunnerCli.RunAsync(commandLine.Split(' '), TextWriter.Null, stderr);

        Assert.Equal(2, exit);
        Assert.Contains(ExportCli.Usage, stderr.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Export_RepositoryWithoutTheCourseLibrary_RefusedNamingIt()
    {
        using var repo = new FakeRepository(withCourseLibrary: false);
        string path = repo.WriteNotebook("01-x.ipynb", "1 + 1");

        var e = Assert.Throws<NotebookFormatException>(() => FileBasedApp.Export(NotebookFile.Load(path), repo.Exports));

        Assert.Contains("needs the course library", e.Message, StringComparison.Ordinal);
    }

    /// <summary>A temporary folder shaped like the repository: the solution marker, lib/Lib and lib/SocketsNotebooks projects, notebooks/, exports/.</summary>
    private sealed class FakeRepository : IDisposable
    {
        private readonly TestNotebook _folder = new();

        public FakeRepository(bool withCourseLibrary = true)
        {
            File.WriteAllText(Path.Combine(_folder.Directory, RepoRoot.SolutionFile), "");
            foreach (string project in withCourseLibrary ? new[] { "Lib", FileBasedApp.LibraryProject } : ["Lib"])
            {
                Directory.CreateDirectory(Path.Combine(_folder.Directory, "lib", project));
                File.WriteAllText(Path.Combine(_folder.Directory, "lib", project, project + ".csproj"), "<Project />");
            }

            Directory.CreateDirectory(Notebooks);
        }

        public string Notebooks => Path.Combine(_folder.Directory, "notebooks");

        public string Exports => Path.Combine(_folder.Directory, FileBasedApp.ExportsFolder);

        public string WriteNotebook(string name, params string[] cells)
        {
            string written = _folder.Write(name, cells);
            string target = Path.Combine(Notebooks, name);
            File.Move(written, target, overwrite: true);
            return target;
        }

        public void Dispose() => _folder.Dispose();
    }
}
