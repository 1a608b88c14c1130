using System.Text.Json.Nodes;
using NotebookRunner;

namespace NotebookRunner.Tests;

/// <summary>Writes small Polyglot-shaped notebooks into a temporary folder and runs them.</summary>
internal sealed class TestNotebook : IDisposable
{
    public TestNotebook()
    {
        Directory = Path.Combine(Path.GetTempPath(), "runner-tests-" + Guid.NewGuid().ToString("N")[..8]);
        System.IO.Directory.CreateDirectory(Directory);
    }

    /// <summary>The temporary folder; deleted on dispose.</summary>
    public string Directory { get; }

    public string OutputDirectory => Path.Combine(Directory, "out");

    /// <summary>Writes a notebook whose cells are code cells, except those starting with "md:".</summary>
    public string Write(string name, params string[] cells)
    {
        var array = new JsonArray();
        for (int i = 0; i < cells.Length; i++)
        {
            bool markdown = cells[i].StartsWith("md:", StringComparison.Ordinal);
            var cell = new JsonObject
            {
                ["cell_type"] = markdown ? "markdown" : "code",
                ["id"] = $"cell{i}",
                ["metadata"] = markdown
                    ? new JsonObject()
                    : new JsonObject
                    {
                        ["dotnet_interactive"] = new JsonObject { ["language"] = "csharp" },
                        ["polyglot_notebook"] = new JsonObject { ["kernelName"] = "csharp" },
                    },
                ["source"] = markdown ? cells[i][3..] : cells[i],
            };
            if (!markdown)
            {
                cell["execution_count"] = null;
                cell["outputs"] = new JsonArray();
            }

            array.Add(cell);
        }

        var notebook = new JsonObject
        {
            ["cells"] = array,
            ["metadata"] = new JsonObject { ["kernelspec"] = new JsonObject { ["name"] = ".net-csharp" } },
            ["nbformat"] = 4,
            ["nbformat_minor"] = 5,
        };
        string path = Path.Combine(Directory, name);
        File.WriteAllText(path, notebook.ToJsonString());
        return path;
    }

    /// <summary>Runs one notebook file through the runner, writing into <see cref="OutputDirectory"/>.</summary>
    public Task<NotebookResult> RunAsync(string path, TextWriter? progress = null) =>
        new CourseRunner(OutputDirectory, progress ?? TextWriter.Null) { CellTimeout = TimeSpan.FromSeconds(30) }
            .RunNotebookAsync(path);

    /// <summary>Writes the cells as "nb.ipynb" and executes them in memory (no files written).</summary>
    public Task<NotebookResult> ExecuteAsync(params string[] cells) =>
        new NotebookExecutor(TextWriter.Null) { CellTimeout = TimeSpan.FromSeconds(30) }
            .ExecuteAsync(NotebookDocument.Load(Write("nb.ipynb", cells)));

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a loaded assembly may still be mapped; the OS cleans the temp folder.
        }
        catch (UnauthorizedAccessException)
        {
            // Same as above.
        }
    }
}
