using System.Text.Json.Nodes;
using NotebookRunner.Kernel;
using NotebookRunner.Notebooks;
using NotebookRunner.Site;

namespace NotebookRunner.Tests;

/// <summary>Writes small Polyglot-shaped notebooks into a temporary folder and runs them in the real kernel.</summary>
internal sealed class TestNotebook : IDisposable
{
    // The pinned kernel, restored once for the whole test run (dotnet tool restore in the repository).
    private static readonly Lazy<Task<KernelTool>> s_kernel = new(async () =>
    {
        KernelTool tool = KernelTool.Locate(Repository.Root);
        await tool.RestoreAsync(TextWriter.Null);
        return tool;
    });

    public TestNotebook()
    {
        Directory = Path.Combine(Path.GetTempPath(), "runner-tests-" + Guid.NewGuid().ToString("N")[..8]);
        System.IO.Directory.CreateDirectory(Directory);
    }

    /// <summary>The temporary folder; deleted on dispose.</summary>
    public string Directory { get; }

    public string OutputDirectory => Path.Combine(Directory, "out");

    /// <summary>The repository's pinned kernel, restored.</summary>
    public static Task<KernelTool> KernelAsync() => s_kernel.Value;

    /// <summary>Writes a notebook whose cells are C# code cells, except those starting with "md:" (markdown) or "fs:" (F#).</summary>
    public string Write(string name, params string[] cells)
    {
        var array = new JsonArray();
        for (int i = 0; i < cells.Length; i++)
        {
            bool markdown = cells[i].StartsWith("md:", StringComparison.Ordinal);
            bool fsharp = cells[i].StartsWith("fs:", StringComparison.Ordinal);
            string kernel = fsharp ? "fsharp" : "csharp";
            var cell = new JsonObject
            {
                ["cell_type"] = markdown ? "markdown" : "code",
                ["id"] = $"cell{i}",
                ["metadata"] = markdown
                    ? new JsonObject()
                    : new JsonObject
                    {
                        ["dotnet_interactive"] = new JsonObject { ["language"] = kernel },
                        ["polyglot_notebook"] = new JsonObject { ["kernelName"] = kernel },
                    },
                ["source"] = markdown || fsharp ? cells[i][3..] : cells[i],
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

    /// <summary>Runs one notebook file through the course runner, writing into <see cref="OutputDirectory"/>.</summary>
    public Task<NotebookResult> RunAsync(string path, TextWriter? progress = null) =>
        new CourseRunner(OutputDirectory, progress ?? TextWriter.Null) { CellTimeout = TimeSpan.FromSeconds(60) }
            .RunNotebookAsync(path);

    /// <summary>Writes the cells as "nb.ipynb" and executes them in the kernel (no files written).</summary>
    public async Task<NotebookResult> ExecuteAsync(TimeSpan cellTimeout, Action<NotebookFile, IReadOnlyList<int>>? afterLastCell, params string[] cells) =>
        await new NotebookExecutor(await KernelAsync(), TextWriter.Null) { CellTimeout = cellTimeout, AfterLastCell = afterLastCell }
            .ExecuteAsync(NotebookFile.Load(Write("nb.ipynb", cells)));

    /// <summary>Writes the cells as "nb.ipynb" and executes them in the kernel, a minute per cell at most.</summary>
    public Task<NotebookResult> ExecuteAsync(params string[] cells) => ExecuteAsync(TimeSpan.FromSeconds(60), null, cells);

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: the OS cleans the temp folder.
        }
        catch (UnauthorizedAccessException)
        {
            // Same as above.
        }
    }
}
