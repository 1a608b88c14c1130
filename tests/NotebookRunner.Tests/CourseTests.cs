using System.Runtime.CompilerServices;
using NotebookRunner;
using Xunit.Abstractions;

namespace NotebookRunner.Tests;

/// <summary>
/// Runs every notebook of the course through the runner, as CI does (QuantumKatas-style: the
/// lessons are tested by executing them).
/// </summary>
/// <remarks>
/// The notebooks <c>#r "../artifacts/bin/SocketsNotebooks/debug/SocketsNotebooks.dll"</c>. This test
/// builds nothing: it runs copies of the notebooks from a temporary folder laid out like the
/// repository, whose artifacts/bin/SocketsNotebooks/debug/ holds the library built together with this
/// test (the runner's ProjectReference builds it into the same artifacts path as the test). So it
/// checks the library of this build, whatever ArtifactsPath was used, and never reads a stale copy
/// in the repository's artifacts folder (that copy is only the fallback).
/// </remarks>
public sealed class CourseTests(ITestOutputHelper output)
{
    private const string LibraryFolder = "artifacts/bin/SocketsNotebooks/debug";

    [Fact]
    public async Task EveryNotebook_RunsWithoutCellErrors()
    {
        string root = RepoRoot.Find(Path.GetDirectoryName(SourcePath())!)
            ?? throw new InvalidOperationException($"no {RepoRoot.SolutionFile} above {SourcePath()}");
        string notebooks = Path.Combine(root, "notebooks");
        Assert.True(Directory.Exists(notebooks), $"the course folder {notebooks} is missing");

        using var mirror = new TestNotebook();
        CopyFolder(notebooks, Path.Combine(mirror.Directory, "notebooks"));
        CopyFolder(LibraryBuild(root), Path.Combine(mirror.Directory, LibraryFolder));

        var progress = new StringWriter();
        IReadOnlyList<NotebookResult> results = await new CourseRunner(mirror.OutputDirectory, progress)
            .RunAsync(CourseRunner.FindNotebooks(Path.Combine(mirror.Directory, "notebooks")));
        CourseRunner.WriteSummary(results, progress);
        output.WriteLine(progress.ToString());

        string[] failures = results.Where(r => !r.Succeeded).Select(r => r.Failure!).ToArray();
        Assert.True(failures.Length == 0, "cells failed:\n" + string.Join("\n", failures));
    }

    private static string LibraryBuild(string root)
    {
        // <ArtifactsPath>/bin/NotebookRunner.Tests/debug/ → <ArtifactsPath>/bin/SocketsNotebooks/debug/
        string besideTests = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "SocketsNotebooks", "debug"));
        string inRepository = Path.Combine(root, LibraryFolder);
        string? found = new[] { besideTests, inRepository }
            .FirstOrDefault(d => File.Exists(Path.Combine(d, "SocketsNotebooks.dll")));
        return found ?? throw new InvalidOperationException(
            $"SocketsNotebooks.dll is in neither {besideTests} nor {inRepository}; build with `dotnet build SocketsNotebooks.sln`");
    }

    private static void CopyFolder(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (string file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
        {
            string target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }

    private static string SourcePath([CallerFilePath] string path = "") => path;
}
