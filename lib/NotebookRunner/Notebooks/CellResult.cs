using Microsoft.DotNet.Interactive.Documents;

namespace NotebookRunner.Notebooks;

/// <summary>What running one code cell in the kernel produced.</summary>
public sealed class CellResult
{
    /// <summary>Creates the result of code cell <paramref name="number"/>.</summary>
    public CellResult(int number, IReadOnlyList<InteractiveDocumentOutputElement> outputs, double seconds)
    {
        Number = number;
        Outputs = outputs;
        Seconds = seconds;
    }

    /// <summary>1-based number among the notebook's code cells (the number progress and errors show).</summary>
    public int Number { get; }

    /// <summary>The cell's outputs in order, as the kernel's events made them.</summary>
    public IReadOnlyList<InteractiveDocumentOutputElement> Outputs { get; }

    /// <summary>Wall-clock time of the cell, from submission to the kernel's answer.</summary>
    public double Seconds { get; }

    /// <summary>How many charts the cell showed.</summary>
    public int Charts => Outputs.Count(ChartOutput.IsChart);

    /// <summary>The error output that ended the cell, or null if it succeeded.</summary>
    public ErrorElement? Error => Outputs.OfType<ErrorElement>().LastOrDefault();

    /// <summary>Whether the cell ran to the end.</summary>
    public bool Succeeded => Error is null;
}
