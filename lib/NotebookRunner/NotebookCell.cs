using System.Text.Json.Nodes;

namespace NotebookRunner;

/// <summary>
/// One cell of a notebook, kept as its JSON object so that everything the runner does not
/// touch (ids, Polyglot metadata, attachments) is written back exactly as it was read.
/// </summary>
public sealed class NotebookCell
{
    internal NotebookCell(JsonObject json, int position)
    {
        Json = json;
        Position = position;
    }

    /// <summary>The cell's JSON object, as in the file.</summary>
    public JsonObject Json { get; }

    /// <summary>1-based position among all cells of the notebook.</summary>
    public int Position { get; }

    /// <summary>"code", "markdown" or "raw".</summary>
    public string CellType => (string?)Json["cell_type"] ?? "";

    /// <summary>Whether this is a code cell (the only kind the runner executes).</summary>
    public bool IsCode => CellType == "code";

    /// <summary>The cell's id (nbformat 4.5), or an empty string for older files.</summary>
    public string Id => Json["id"] is JsonValue id && id.TryGetValue(out string? s) ? s : "";

    /// <summary>
    /// The Polyglot kernel the cell is for (<c>polyglot_notebook.kernelName</c>, or the older
    /// <c>dotnet_interactive.language</c>), or null when the cell does not say.
    /// </summary>
    public string? KernelName =>
        (string?)Json["metadata"]?["polyglot_notebook"]?["kernelName"] ?? (string?)Json["metadata"]?["dotnet_interactive"]?["language"];

    /// <summary>The cell's text (nbformat stores it as one string or as a list of lines).</summary>
    public string Source => NotebookDocument.ReadMultiline(Json["source"]);

    /// <summary>The cell's outputs (code cells only; empty for others).</summary>
    public IReadOnlyList<CellOutput> Outputs =>
        Json["outputs"] is JsonArray outputs
            ? outputs.OfType<JsonObject>().Select(CellOutput.FromJson).ToArray()
            : [];

    /// <summary>The execution count Jupyter shows as <c>[n]</c>, or null if the cell has not run.</summary>
    public int? ExecutionCount => Json["execution_count"] is JsonValue v && v.TryGetValue(out int n) ? n : null;

    /// <summary>Replaces this code cell's outputs and execution count (null: not run).</summary>
    public void SetOutputs(int? executionCount, IEnumerable<CellOutput> outputs)
    {
        Json["execution_count"] = executionCount;
        Json["outputs"] = new JsonArray(outputs.Select(o => (JsonNode)o.ToJson()).ToArray());
    }
}
