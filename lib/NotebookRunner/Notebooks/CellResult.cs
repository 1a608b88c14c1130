namespace NotebookRunner;

/// <summary>What running one code cell produced.</summary>
public sealed class CellResult
{
    /// <summary>Creates the result of code cell <paramref name="number"/>.</summary>
    public CellResult(int number, IReadOnlyList<CellOutput> outputs, double seconds, int charts)
    {
        Number = number;
        Outputs = outputs;
        Seconds = seconds;
        Charts = charts;
    }

    /// <summary>1-based number among the notebook's code cells (the number progress and errors show).</summary>
    public int Number { get; }

    /// <summary>The cell's outputs in order.</summary>
    public IReadOnlyList<CellOutput> Outputs { get; }

    /// <summary>Wall-clock time of the cell, compile included.</summary>
    public double Seconds { get; }

    /// <summary>How many charts the cell displayed.</summary>
    public int Charts { get; }

    /// <summary>The error output that ended the cell, or null if it succeeded.</summary>
    public CellOutput? Error => Outputs.LastOrDefault(o => o.OutputType == "error");

    /// <summary>Whether the cell ran to the end.</summary>
    public bool Succeeded => Error is null;
}
