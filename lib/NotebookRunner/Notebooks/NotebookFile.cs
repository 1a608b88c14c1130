using System.Text.Json;
using Microsoft.DotNet.Interactive.Documents;
using Microsoft.DotNet.Interactive.Documents.Jupyter;

namespace NotebookRunner.Notebooks;

/// <summary>
/// An .ipynb file read with the kernel's own document model (<c>Microsoft.DotNet.Interactive.Documents</c>,
/// which keeps cell ids and the Polyglot metadata) and written back with the outputs the run put in.
/// </summary>
public sealed class NotebookFile
{
    /// <summary>The kernel a code cell runs in when neither it nor the notebook names one.</summary>
    public const string DefaultKernelName = "csharp";

    private const string MarkdownKernelName = "markdown";

    // The kernels a Polyglot notebook may name; the reader maps languages and aliases to these names.
    private static readonly KernelInfoCollection s_kernels =
    [
        new KernelInfo("csharp", "C#", ["c#", "C#"]),
        new KernelInfo("fsharp", "F#", ["f#", "F#"]),
        new KernelInfo("pwsh", "PowerShell", ["powershell"]),
        new KernelInfo("javascript", "JavaScript", ["js"]),
        new KernelInfo("html", "HTML"),
        new KernelInfo(MarkdownKernelName, "Markdown", ["md"]),
    ];

    private NotebookFile(string path, InteractiveDocument document)
    {
        Path = path;
        Document = document;
    }

    /// <summary>Where the notebook was read from.</summary>
    public string Path { get; }

    /// <summary>The file name, e.g. <c>01-echo.ipynb</c>.</summary>
    public string Name => System.IO.Path.GetFileName(Path);

    /// <summary>The folder the notebook sits in: its kernel's working directory.</summary>
    public string Directory => System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(Path))!;

    /// <summary>The notebook as the kernel's document model: every cell, in order, with its outputs.</summary>
    public InteractiveDocument Document { get; }

    /// <summary>Every cell in file order.</summary>
    public IReadOnlyList<InteractiveDocumentElement> Cells => Document.Elements.AsReadOnly();

    /// <summary>The code cells in file order.</summary>
    public IReadOnlyList<InteractiveDocumentElement> CodeCells => Cells.Where(IsCode).ToArray();

    /// <summary>The markdown cells' text, in file order.</summary>
    public IEnumerable<string> MarkdownCells => Cells.Where(c => !IsCode(c)).Select(c => c.Contents);

    /// <summary>Whether <paramref name="cell"/> is a code cell (markdown cells are the only other kind the reader keeps).</summary>
    public static bool IsCode(InteractiveDocumentElement cell) => cell?.KernelName != MarkdownKernelName;

    /// <summary>The kernel a code cell runs in: its own, else the notebook's default (C#).</summary>
    public string KernelNameOf(InteractiveDocumentElement cell) =>
        string.IsNullOrEmpty(cell?.KernelName) ? Document.GetDefaultKernelName() ?? DefaultKernelName : cell.KernelName;

    /// <summary>Reads and checks a notebook file; throws <see cref="NotebookFormatException"/> naming the file.</summary>
    public static NotebookFile Load(string path)
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

    /// <summary>Parses notebook JSON; <paramref name="path"/> names it in errors and becomes <see cref="Path"/>.</summary>
    public static NotebookFile Parse(string path, string json)
    {
        Check(path, json);
        return new NotebookFile(path, Notebook.Parse(json, s_kernels));
    }

    /// <summary>The notebook as .ipynb JSON text, outputs included.</summary>
    public string ToJson() => Notebook.ToJupyterJson(Document);

    /// <summary>Writes the notebook, with whatever outputs its cells now hold, to <paramref name="path"/>.</summary>
    public void Save(string path) => File.WriteAllText(path, ToJson());

    // The document reader is lenient; a file that is not nbformat 4 with a list of cells is refused
    // here with a reason, before it could run as something it is not.
    private static void Check(string path, string json)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw new NotebookFormatException(path, $"is not valid JSON ({e.Message})", e);
        }

        using (document)
        {
            JsonElement root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new NotebookFormatException(path, "is not a notebook (the top level is not a JSON object)");
            }

            if (!root.TryGetProperty("nbformat", out JsonElement format) || format.ValueKind != JsonValueKind.Number || format.GetInt32() != 4)
            {
                string found = root.TryGetProperty("nbformat", out JsonElement f) ? f.GetRawText() : "missing";
                throw new NotebookFormatException(path, $"is not nbformat 4 (nbformat: {found})");
            }

            if (!root.TryGetProperty("cells", out JsonElement cells) || cells.ValueKind != JsonValueKind.Array)
            {
                throw new NotebookFormatException(path, "has no \"cells\" list");
            }

            int position = 0;
            foreach (JsonElement cell in cells.EnumerateArray())
            {
                position++;
                if (cell.ValueKind != JsonValueKind.Object || !cell.TryGetProperty("cell_type", out JsonElement type)
                    || type.ValueKind != JsonValueKind.String || !cell.TryGetProperty("source", out _))
                {
                    throw new NotebookFormatException(path, $"cell {position} has no \"cell_type\" or \"source\"");
                }

                // The document model has no raw cells: it would turn one into a code cell and run it.
                if (type.GetString() == "raw")
                {
                    throw new NotebookFormatException(path, $"cell {position} is a raw cell, which the kernel's document model would run as code");
                }
            }
        }
    }
}
