namespace NotebookRunner;

/// <summary>Finds the repository root: the nearest folder at or above a start folder that holds SocketsNotebooks.sln.</summary>
public static class RepoRoot
{
    /// <summary>The marker file of the repository root.</summary>
    public const string SolutionFile = "SocketsNotebooks.sln";

    /// <summary>The root above <paramref name="start"/>, or null when there is none.</summary>
    public static string? Find(string start)
    {
        for (DirectoryInfo? dir = new(Path.GetFullPath(start)); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, SolutionFile)))
            {
                return dir.FullName;
            }
        }

        return null;
    }
}
