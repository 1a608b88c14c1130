using System.Runtime.CompilerServices;

namespace NotebookRunner.Tests;

/// <summary>The repository these tests were built from, found from this file's path.</summary>
internal static class Repository
{
    /// <summary>The folder that holds SocketsNotebooks.sln.</summary>
    public static string Root { get; } = RepoRoot.Find(Path.GetDirectoryName(SourcePath())!)
        ?? throw new InvalidOperationException($"no {RepoRoot.SolutionFile} above {SourcePath()}");

    /// <summary>notebooks/ of the repository.</summary>
    public static string Notebooks => Path.Combine(Root, "notebooks");

    /// <summary>exports/ of the repository.</summary>
    public static string Exports => Path.Combine(Root, FileBasedApp.ExportsFolder);

    /// <summary>The course's notebooks in course order.</summary>
    public static IReadOnlyList<string> NotebookPaths => CourseRunner.FindNotebooks(Notebooks);

    /// <summary>Theory data: one row per notebook file name.</summary>
    public static TheoryData<string> NotebookNames()
    {
        var data = new TheoryData<string>();
        foreach (string path in NotebookPaths)
        {
            data.Add(Path.GetFileName(path));
        }

        return data;
    }

    /// <summary>Whether this run is CI's (.ci/run sets CI=true): tools that are missing there fail instead of skipping.</summary>
    public static bool InCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>Copies a folder tree (files only, nothing under bin/ or obj/).</summary>
    public static void CopyFolder(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (string file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
        {
            string relative = Path.GetRelativePath(from, file);
            if (relative.Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj"))
            {
                continue;
            }

            string target = Path.Combine(to, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target, overwrite: true);
        }
    }

    private static string SourcePath([CallerFilePath] string path = "") => path;
}
