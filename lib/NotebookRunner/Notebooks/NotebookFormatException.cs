namespace NotebookRunner.Notebooks;

/// <summary>
/// A file that is not a notebook the runner can execute: not JSON, not nbformat 4, or without
/// a list of cells. The message always starts with the file's path so the reader knows which one.
/// </summary>
public sealed class NotebookFormatException : Exception
{
    /// <summary>Creates the error for <paramref name="path"/> with the reason it was refused.</summary>
    public NotebookFormatException(string path, string reason, Exception? inner = null)
        : base($"{path}: {reason}", inner)
    {
        Path = path;
    }

    /// <summary>The notebook file that was refused.</summary>
    public string Path { get; }
}
