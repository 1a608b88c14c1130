namespace NotebookRunner.Notebooks;

/// <summary>What running one notebook produced: per-cell results, the first failure, where it was written.</summary>
public sealed class NotebookResult
{
    /// <summary>Creates the result for the notebook at <paramref name="path"/>.</summary>
    public NotebookResult(string path, int codeCells, IReadOnlyList<CellResult> cells, double seconds, string? failure)
    {
        Path = path;
        CodeCells = codeCells;
        Cells = cells;
        Seconds = seconds;
        Failure = failure;
    }

    /// <summary>The notebook file that was run.</summary>
    public string Path { get; }

    /// <summary>The file name, e.g. <c>01-echo.ipynb</c>.</summary>
    public string Name => System.IO.Path.GetFileName(Path);

    /// <summary>How many code cells the notebook has.</summary>
    public int CodeCells { get; }

    /// <summary>The cells that ran, in order (a run stops at the first failing cell).</summary>
    public IReadOnlyList<CellResult> Cells { get; }

    /// <summary>Wall-clock time of the whole notebook, the kernel's start included.</summary>
    public double Seconds { get; }

    /// <summary>How long the kernel took to start and be ready for the first cell.</summary>
    public double KernelStartSeconds { get; init; }

    /// <summary>Charts displayed by all cells.</summary>
    public int Charts => Cells.Sum(c => c.Charts);

    /// <summary>
    /// Why the notebook failed — "01-echo.ipynb: cell 5: InvalidOperationException: ..." — or null.
    /// Also set for a file refused as malformed.
    /// </summary>
    public string? Failure { get; }

    /// <summary>The number of the code cell that failed, or null.</summary>
    public int? FailedCell => Cells.FirstOrDefault(c => !c.Succeeded)?.Number;

    /// <summary>Whether every code cell ran without error.</summary>
    public bool Succeeded => Failure is null;

    /// <summary>The executed .ipynb written, if any.</summary>
    public string? NotebookOutputPath { get; init; }

    /// <summary>The HTML page written, if any.</summary>
    public string? HtmlOutputPath { get; init; }

    /// <summary>The result for a file that could not be read as a notebook.</summary>
    public static NotebookResult Refused(string path, string reason) => new(path, 0, [], 0, reason);
}
