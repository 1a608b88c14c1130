using Microsoft.DotNet.Interactive.Documents;
using NotebookRunner.Notebooks;
using SocketsNotebooks.Charts;
using static NotebookRunner.Tests.OutputAssert;

namespace NotebookRunner.Tests;

/// <summary>
/// Notebooks run in the real kernel (the pinned dotnet-interactive tool over stdio): what a reader
/// of the executed notebook sees, and how a failing cell, a cell that never ends and a kernel that
/// dies end the run. Each test starts one kernel.
/// </summary>
public sealed class NotebookExecutorTests
{
    [Fact]
    public async Task Execute_CellsOfEveryKind_OutputsAsTheKernelMadeThemAndRunStopsAtTheFailingCell()
    {
        using var nb = new TestNotebook();
        string library = typeof(PlotlyFigure).Assembly.Location;
        NotebookResult result = await nb.ExecuteAsync(
            "md:# Title",
            $"#r \"{library}\"\nusing SocketsNotebooks.Charts;\nusing System.Text.Json.Nodes;",
            "Console.Write(\"a\");\nConsole.WriteLine(\"b\");\nConsole.Error.WriteLine(\"c\");\nvar shown = display(\"first\");\nshown.Update(\"second\");\nConsole.WriteLine(\"d\");",
            "var n = 41;",
            "new PlotlyFigure(new JsonArray(new JsonObject { [\"type\"] = \"bar\", [\"y\"] = new JsonArray(3, 1, 2) }), new JsonObject())",
            "fs:let answer = 6 * 7\nanswer",
            "n + 1",
            "throw new InvalidOperationException(\"boom\");",
            "n");

        Assert.Equal("nb.ipynb: cell 7: InvalidOperationException: boom", result.Failure);
        Assert.Equal((7, 8, 7), (result.FailedCell!.Value, result.CodeCells, result.Cells.Count));

        CellResult streams = result.Cells[1];
        Assert.Equal("stream,stream,display_data,display_data,stream", Kinds(streams));
        Assert.Equal(("stdout", "ab\n"), (((TextElement)streams.Outputs[0]).Name, ((TextElement)streams.Outputs[0]).Text));
        Assert.Equal(("stderr", "c\n"), (((TextElement)streams.Outputs[1]).Name, ((TextElement)streams.Outputs[1]).Text));
        Assert.Equal("second", Data(streams.Outputs[3], "text/plain"));
        Assert.Empty(result.Cells[2].Outputs);

        Assert.Equal((1, 1), (result.Charts, result.Cells[3].Charts));
        Assert.Contains($"class=\"{PlotlyFigure.HtmlMarker}\"", Data(result.Cells[3].Outputs.Single(), "text/html"), StringComparison.Ordinal);
        Assert.Contains("<pre>42</pre>", Data(result.Cells[4].Outputs.Single(), "text/html"), StringComparison.Ordinal);
        Assert.Contains("<pre>42</pre>", Data(result.Cells[5].Outputs.Single(), "text/html"), StringComparison.Ordinal);
        Assert.Equal(6, ((ReturnValueElement)result.Cells[5].Outputs.Single()).ExecutionOrder);

        ErrorElement error = result.Cells[6].Error!;
        Assert.Equal(("InvalidOperationException", "boom"), (error.ErrorName, error.ErrorValue));
        Assert.StartsWith("System.InvalidOperationException: boom", error.StackTrace[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Execute_CompileError_FailsWithTheDiagnostics()
    {
        using var nb = new TestNotebook();
        NotebookResult result = await nb.ExecuteAsync("var ok = 1;", "int x = \"text\";");

        Assert.Equal(2, result.FailedCell);
        Assert.Contains("cell 2: CompilationError: (1,9): error CS0029", result.Failure, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Execute_CellRunsPastItsTimeout_FailsNamingTheCellAndEndsTheKernel()
    {
        using var nb = new TestNotebook();
        NotebookResult result = await nb.ExecuteAsync(TimeSpan.FromSeconds(3), null, "var started = 1;", "while (true) { }", "started");

        Assert.Equal("nb.ipynb: cell 2: KernelError: the kernel was still running the cell after 3 s, so it was ended", result.Failure);
        Assert.Equal(2, result.Cells.Count);
        Assert.Empty(KernelProcesses.WorkingIn(nb.Directory));
    }

    [Fact]
    public async Task Execute_KernelExitsInACell_FailsNamingTheCellAndTheExitCode()
    {
        using var nb = new TestNotebook();
        NotebookResult result = await nb.ExecuteAsync("Environment.Exit(3);", "1");

        Assert.StartsWith("nb.ipynb: cell 1: KernelError: the kernel exited (exit code 3) while running the cell", result.Failure, StringComparison.Ordinal);
        Assert.Single(result.Cells);
        Assert.Empty(KernelProcesses.WorkingIn(nb.Directory));
    }

    [Fact]
    public async Task Execute_RelativeReferenceAndFile_ResolvedAgainstTheNotebookFolderAsInVsCode()
    {
        using var nb = new TestNotebook();
        TinyLibrary.Compile(Path.Combine(nb.Directory, "lib", "Tiny.dll"),
            "namespace Tiny; public static class Greeter { public static string Hello() => \"hello from Tiny\"; }");
        File.WriteAllText(Path.Combine(nb.Directory, "data.txt"), "next to the notebook");
        IReadOnlyList<int>? kernel = null;

        NotebookResult result = await nb.ExecuteAsync(TimeSpan.FromSeconds(60), (_, processes) => kernel = processes,
            "#r \"lib/Tiny.dll\"\nTiny.Greeter.Hello()",
            "System.IO.File.ReadAllText(\"data.txt\")");

        Succeeded(result);
        Assert.Equal("hello from Tiny", Data(result.Cells[0].Outputs.Single(), "text/plain"));
        Assert.Equal("next to the notebook", Data(result.Cells[1].Outputs.Single(), "text/plain"));
        Assert.NotEmpty(kernel!);
        Assert.Empty(KernelProcesses.WorkingIn(nb.Directory));
    }
}
