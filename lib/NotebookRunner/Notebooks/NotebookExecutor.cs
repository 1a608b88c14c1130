using System.Diagnostics;
using System.Globalization;
using Microsoft.DotNet.Interactive.Documents;
using NotebookRunner.Kernel;

namespace NotebookRunner.Notebooks;

/// <summary>
/// Runs a notebook's code cells in order in a fresh kernel, as VS Code does when a reader runs all
/// cells, and puts each cell's outputs into the document. It stops at the first failing cell: later
/// cells are left unrun, because they almost always depend on the one that failed.
/// </summary>
public sealed class NotebookExecutor
{
    private readonly KernelTool _tool;
    private readonly TextWriter _progress;

    /// <summary>Creates an executor that starts <paramref name="tool"/> and reports one line per cell to <paramref name="progress"/>.</summary>
    public NotebookExecutor(KernelTool tool, TextWriter progress)
    {
        _tool = tool;
        _progress = progress;
    }

    /// <summary>How long one cell may run before the notebook is failed and its kernel ended.</summary>
    public TimeSpan CellTimeout { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>How long the kernel may take to start.</summary>
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Called after the last cell while the kernel still runs, with its process ids: what the cells
    /// started is still alive, as in a kernel nobody restarted, so a check here sees what they left running.
    /// </summary>
    public Action<NotebookFile, IReadOnlyList<int>>? AfterLastCell { get; init; }

    /// <summary>Runs every code cell of <paramref name="notebook"/> and replaces its outputs.</summary>
    public async Task<NotebookResult> ExecuteAsync(NotebookFile notebook)
    {
        ArgumentNullException.ThrowIfNull(notebook);
        IReadOnlyList<InteractiveDocumentElement> codeCells = notebook.CodeCells;
        var results = new List<CellResult>();
        var clock = Stopwatch.StartNew();
        KernelSession session;
        try
        {
            session = await KernelSession.StartAsync(_tool, notebook.Directory, StartTimeout).ConfigureAwait(false);
        }
        catch (KernelException e)
        {
            ClearOutputs(codeCells, from: 0);
            return new NotebookResult(notebook.Path, codeCells.Count, results, clock.Elapsed.TotalSeconds, $"{notebook.Name}: {e.Message}");
        }

        double startSeconds = clock.Elapsed.TotalSeconds;
        _progress.WriteLine(Invariant($"{notebook.Name}  kernel ready in {startSeconds:0.0} s"));
        string? failure = null;
        await using (session.ConfigureAwait(false))
        {
            int executionCount = 0;
            for (int i = 0; i < codeCells.Count && failure is null; i++)
            {
                InteractiveDocumentElement cell = codeCells[i];
                if (string.IsNullOrWhiteSpace(cell.Contents))
                {
                    ClearOutputs([cell], from: 0);
                    continue;
                }

                executionCount++;
                CellResult result = await RunCellAsync(session, notebook, cell, i + 1, executionCount).ConfigureAwait(false);
                results.Add(result);
                cell.Outputs.Clear();
                cell.Outputs.AddRange(result.Outputs);
                cell.ExecutionOrder = executionCount;
                _progress.WriteLine(Invariant($"{notebook.Name}  cell {result.Number}/{codeCells.Count} {(result.Succeeded ? "✓" : "✗")} {result.Seconds:0.00} s"));
                if (result.Error is { } error)
                {
                    failure = $"{notebook.Name}: cell {result.Number}: {error.ErrorName}: {error.ErrorValue}";
                    ClearOutputs(codeCells, from: i + 1);
                }
            }

            if (failure is null)
            {
                AfterLastCell?.Invoke(notebook, session.ProcessIds());
            }
        }

        return new NotebookResult(notebook.Path, codeCells.Count, results, clock.Elapsed.TotalSeconds, failure) { KernelStartSeconds = startSeconds };
    }

    private async Task<CellResult> RunCellAsync(KernelSession session, NotebookFile notebook, InteractiveDocumentElement cell, int number, int executionCount)
    {
        string token = $"cell{number}";
        var clock = Stopwatch.StartNew();
        IReadOnlyList<InteractiveDocumentOutputElement> outputs;
        try
        {
            var events = await session.SubmitCodeAsync(cell.Contents, notebook.KernelNameOf(cell), token, CellTimeout).ConfigureAwait(false);
            outputs = CellOutputs.From(events, token, executionCount);
        }
        catch (KernelException e)
        {
            // A timeout or a dead kernel: the cell's outputs say so, as a failed cell's would.
            outputs = [new ErrorElement(e.Message, "KernelError", [])];
        }

        return new CellResult(number, outputs, clock.Elapsed.TotalSeconds);
    }

    // Cells that did not run this time show no output and no [n], not what an earlier run left.
    private static void ClearOutputs(IReadOnlyList<InteractiveDocumentElement> cells, int from)
    {
        foreach (InteractiveDocumentElement cell in cells.Skip(from))
        {
            cell.Outputs.Clear();
            cell.ExecutionOrder = 0;
        }
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
