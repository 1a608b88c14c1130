using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace NotebookRunner;

/// <summary>
/// An .ipynb file (nbformat 4) read into memory and written back with its outputs. Only
/// <c>cells[].outputs</c> and <c>cells[].execution_count</c> change; the rest round-trips.
/// </summary>
public sealed class NotebookDocument
{
    // Jupyter writes one-space indents and keeps non-ASCII text as is (ensure_ascii=False),
    // so ✅ stays ✅ in the executed file.
    private static readonly JsonSerializerOptions s_writeOptions = new()
    {
        WriteIndented = true,
        IndentSize = 1,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private readonly JsonObject _root;

    private NotebookDocument(string path, JsonObject root, IReadOnlyList<NotebookCell> cells)
    {
        Path = path;
        _root = root;
        Cells = cells;
    }

    /// <summary>Where the notebook was read from.</summary>
    public string Path { get; }

    /// <summary>The file name, e.g. <c>01-echo.ipynb</c>.</summary>
    public string Name => System.IO.Path.GetFileName(Path);

    /// <summary>Every cell in file order.</summary>
    public IReadOnlyList<NotebookCell> Cells { get; }

    /// <summary>The code cells in file order.</summary>
    public IReadOnlyList<NotebookCell> CodeCells => Cells.Where(c => c.IsCode).ToArray();

    /// <summary>Reads and checks a notebook file; throws <see cref="NotebookFormatException"/> naming the file.</summary>
    public static NotebookDocument Load(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (IOException e)
        {
            throw new NotebookFormatException(path, $"cannot be read: {e.Message}", e);
        }

        return Parse(path, text);
    }

    /// <summary>Parses notebook JSON; <paramref name="path"/> is only used in error messages and as <see cref="Path"/>.</summary>
    public static NotebookDocument Parse(string path, string json)
    {
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { AllowTrailingCommas = false });
        }
        catch (JsonException e)
        {
            throw new NotebookFormatException(path, $"is not valid JSON ({e.Message})", e);
        }

        if (node is not JsonObject root)
        {
            throw new NotebookFormatException(path, "is not a notebook (the top level is not a JSON object)");
        }

        if (root["nbformat"] is not JsonValue format || !format.TryGetValue(out int major) || major != 4)
        {
            throw new NotebookFormatException(path, $"is not nbformat 4 (nbformat: {root["nbformat"]?.ToJsonString() ?? "missing"})");
        }

        if (root["cells"] is not JsonArray cellArray)
        {
            throw new NotebookFormatException(path, "has no \"cells\" list");
        }

        var cells = new List<NotebookCell>();
        foreach (JsonNode? item in cellArray)
        {
            int position = cells.Count + 1;
            if (item is not JsonObject cell || cell["cell_type"] is not JsonValue || cell["source"] is null)
            {
                throw new NotebookFormatException(path, $"cell {position} has no \"cell_type\" or \"source\"");
            }

            cells.Add(new NotebookCell(cell, position));
        }

        return new NotebookDocument(path, root, cells);
    }

    /// <summary>The notebook as .ipynb JSON text.</summary>
    public string ToJson() => _root.ToJsonString(s_writeOptions) + "\n";

    /// <summary>Writes the notebook (with whatever outputs its cells now hold) to <paramref name="path"/>.</summary>
    public void Save(string path) => File.WriteAllText(path, ToJson());

    /// <summary>nbformat's "multiline string": one string, or a list of lines to be joined.</summary>
    internal static string ReadMultiline(JsonNode? node) => node switch
    {
        JsonArray lines => string.Concat(lines.Select(l => (string?)l ?? "")),
        JsonValue value when value.TryGetValue(out string? s) => s,
        _ => "",
    };

    /// <summary>Splits text into the list-of-lines form Jupyter writes (each line keeps its "\n").</summary>
    internal static JsonArray WriteMultiline(string text)
    {
        var lines = new JsonArray();
        int start = 0;
        while (start < text.Length)
        {
            int end = text.IndexOf('\n', start);
            end = end < 0 ? text.Length : end + 1;
            lines.Add(text[start..end]);
            start = end;
        }

        return lines;
    }
}
