using System.Diagnostics;
using System.Globalization;
using Microsoft.DotNet.Interactive.Formatting;

namespace NotebookRunner;

/// <summary>
/// Executes a notebook's code cells in order in one <see cref="CellRunner"/>, as a fresh kernel
/// would, and puts the outputs into the document. It stops at the first failing cell: later cells
/// are left unrun, because they almost always depend on the one that failed.
/// </summary>
public sealed class NotebookExecutor
{
    private readonly TextWriter _progress;

    /// <summary>Creates an executor that reports one line per cell to <paramref name="progress"/>.</summary>
    public NotebookExecutor(TextWriter progress)
    {
        _progress = progress;
    }

    /// <summary>How long one cell may run before the notebook is failed.</summary>
    public TimeSpan CellTimeout { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// Called after the last cell, before the notebook's script state is let go: what the cells
    /// started is still referenced, as in a kernel, so a check here sees what they left running.
    /// </summary>
    public Action<NotebookDocument>? AfterLastCell { get; init; }

    /// <summary>
    /// Runs every code cell of <paramref name="notebook"/> and replaces its outputs. Console,
    /// the formatter and the working directory are process-wide, so notebooks run one at a time.
    /// </summary>
    public async Task<NotebookResult> ExecuteAsync(NotebookDocument notebook)
    {
        string directory = Path.GetDirectoryName(Path.GetFullPath(notebook.Path))!;
        IReadOnlyList<NotebookCell> codeCells = notebook.CodeCells;
        var router = new OutputRouter();
        var runner = new CellRunner(directory, new ScriptGlobals(router));
        var results = new List<CellResult>();
        string? failure = null;
        var clock = Stopwatch.StartNew();

        TextWriter savedOut = Console.Out;
        TextWriter savedError = Console.Error;
        string savedDirectory = Environment.CurrentDirectory;

        // A fresh kernel has only the default formatters; a notebook's nuget line adds the chart one.
        Formatter.ResetToDefault();
        try
        {
            Console.SetOut(router.StreamWriter("stdout"));
            Console.SetError(router.StreamWriter("stderr"));

            // The kernel's working directory is the notebook's folder, so relative file reads in
            // cells behave the same here.
            Environment.CurrentDirectory = directory;

            int executionCount = 0;
            for (int i = 0; i < codeCells.Count; i++)
            {
                NotebookCell cell = codeCells[i];
                if (failure is not null || string.IsNullOrWhiteSpace(cell.Source))
                {
                    cell.SetOutputs(null, []);
                    continue;
                }

                executionCount++;
                var cellClock = Stopwatch.StartNew();
                if (cell.KernelName is { } kernel && kernel != "csharp")
                {
                    // A Polyglot notebook can mix kernels; this runner has only the C# one.
                    router.Current.Add(CellOutput.Error("UnsupportedKernel",
                        $"the cell is for the '{kernel}' kernel; the headless runner runs C# cells only", []));
                }
                else
                {
                    await runner.RunAsync(cell.Source, executionCount, router.Current, CellTimeout).ConfigureAwait(false);
                }

                CellOutputCollector outputs = router.Advance();
                var result = new CellResult(i + 1, outputs.Snapshot(), cellClock.Elapsed.TotalSeconds, outputs.Charts);
                results.Add(result);
                cell.SetOutputs(executionCount, result.Outputs);

                string mark = result.Succeeded ? "✓" : "✗";
                _progress.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{notebook.Name}  cell {result.Number}/{codeCells.Count} {mark} {result.Seconds:0.00} s"));

                if (result.Error is { } error)
                {
                    failure = $"{notebook.Name}: cell {result.Number}: {error.ErrorName}: {error.ErrorValue}";
                }
            }

            AfterLastCell?.Invoke(notebook);

            // The script state (and through it every object the cells hold) stays reachable up to here.
            GC.KeepAlive(runner);
        }
        finally
        {
            Console.SetOut(savedOut);
            Console.SetError(savedError);
            Environment.CurrentDirectory = savedDirectory;
        }

        return new NotebookResult(notebook.Path, codeCells.Count, results, clock.Elapsed.TotalSeconds, failure);
    }
}
