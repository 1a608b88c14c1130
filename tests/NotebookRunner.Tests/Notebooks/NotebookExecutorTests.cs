using NotebookRunner;
using static NotebookRunner.Tests.OutputAssert;

namespace NotebookRunner.Tests;

public sealed class NotebookExecutorTests
{
    [Fact]
    public async Task Execute_VariableAndTypeFromEarlierCell_CarryOver()
    {
        using var nb = new TestNotebook();
        NotebookResult result = await nb.ExecuteAsync(
            "record Point(int X, int Y);\nvar p = new Point(1, 2);",
            "new Point(3, 4).X + p.Y");

        Succeeded(result);
        Assert.Equal("5", Plain(result.Cells[1].Outputs.Single()));
    }

    [Fact]
    public async Task Execute_NoUsings_KernelDefaultImportsAvailable()
    {
        using var nb = new TestNotebook();
        NotebookResult result = await nb.ExecuteAsync(
            "var sb = new StringBuilder(\"ab\");\n" +
            "var list = new List<int> { 1, 2 };\n" +
            "IEnumerable e = list;\n" +
            "list.Select(x => x * 2).Sum() + sb.Length + await Task.FromResult(1)");

        Succeeded(result);
        Assert.Equal("9", Plain(result.Cells[0].Outputs.Single()));
    }

    [Fact]
    public async Task Execute_DisplayCallsThenLastExpression_DisplayDataInOrderThenExecuteResult()
    {
        using var nb = new TestNotebook();
        NotebookResult result = await nb.ExecuteAsync("display(\"one\");\ndisplay(2);\n\"three\"");

        Succeeded(result);
        CellResult cell = result.Cells.Single();
        Assert.Equal("display_data,display_data,execute_result", Kinds(cell));
        Assert.Equal("one", Plain(cell.Outputs[0]));
        Assert.Equal("2", Plain(cell.Outputs[1]));
        Assert.Contains("<pre>2</pre>", cell.Outputs[1].Data["text/html"], StringComparison.Ordinal);
        Assert.Equal("three", Plain(cell.Outputs[2]));
        Assert.Equal(1, cell.Outputs[2].ExecutionCount);
    }

    [Fact]
    public async Task Execute_StringValue_PlainTextOnly()
    {
        using var nb = new TestNotebook();
        NotebookResult result = await nb.ExecuteAsync("\"<b>not html</b>\"");

        CellOutput output = result.Cells.Single().Outputs.Single();
        Assert.Equal(["text/plain"], output.Data.Keys);
        Assert.Equal("<b>not html</b>", output.Data["text/plain"]);
    }

    [Fact]
    public async Task Execute_EnumerableOfRecords_HtmlTable()
    {
        using var nb = new TestNotebook();
        NotebookResult result = await nb.ExecuteAsync("record Row(int Conn, int Bytes);\nnew[] { new Row(1, 10), new Row(2, 20) }");

        string html = result.Cells.Single().Outputs.Single().Data["text/html"];
        Assert.StartsWith("<table>", html, StringComparison.Ordinal);
        Assert.Contains("Row { Conn = 2, Bytes = 20 }", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("var y = 1;")]
    [InlineData("var y = 1;\nif (y > 0) { y++; }")]
    [InlineData("Console.Write(\"\")")]
    public async Task Execute_LastStatementNotAnExpressionValue_NoExecuteResult(string code)
    {
        using var nb = new TestNotebook();
        NotebookResult result = await nb.ExecuteAsync(code);

        Succeeded(result);
        Assert.Empty(result.Cells.Single().Outputs);
    }

    [Fact]
    public async Task Execute_ConsoleWrites_BecomeStreamOutputsInOrder()
    {
        using var nb = new TestNotebook();
        NotebookResult result = await nb.ExecuteAsync(
            "Console.Write(\"a\");\nConsole.WriteLine(\"b\");\nConsole.Error.WriteLine(\"c\");\ndisplay(1);\nConsole.WriteLine(\"d\");");

        CellResult cell = result.Cells.Single();
        Assert.Equal("stream,stream,display_data,stream", Kinds(cell));
        Assert.Equal(("stdout", "ab\n"), (cell.Outputs[0].StreamName, cell.Outputs[0].Text));
        Assert.Equal(("stderr", "c\n"), (cell.Outputs[1].StreamName, cell.Outputs[1].Text));
        Assert.Equal("d\n", cell.Outputs[3].Text);
    }

    [Fact]
    public async Task Execute_BackgroundTaskWritesAfterItsCell_LandsInTheRunningCell()
    {
        using var nb = new TestNotebook();
        NotebookResult result = await nb.ExecuteAsync(
            "var go = new TaskCompletionSource();\nvar late = Task.Run(async () => { await go.Task; Console.WriteLine(\"late\"); });",
            "go.SetResult();\nawait late.WaitAsync(TimeSpan.FromSeconds(10));\nConsole.WriteLine(\"own\");");

        Succeeded(result);
        Assert.Empty(result.Cells[0].Outputs);
        Assert.Equal("late\nown\n", string.Concat(result.Cells[1].Outputs.Select(o => o.Text)));
    }

    [Fact]
    public async Task Execute_RelativeReference_ResolvesAgainstNotebookFolderAndCwdIsNotebookFolder()
    {
        using var nb = new TestNotebook();
        TinyLibrary.Compile(Path.Combine(nb.Directory, "lib", "Tiny.dll"),
            "namespace Tiny; public static class Greeter { public static string Hello() => \"hello from Tiny\"; }");
        File.WriteAllText(Path.Combine(nb.Directory, "data.txt"), "next to the notebook");

        NotebookResult result = await nb.ExecuteAsync(
            "#r \"lib/Tiny.dll\"\nTiny.Greeter.Hello()",
            "System.IO.File.ReadAllText(\"data.txt\")");

        Succeeded(result);
        Assert.Equal("hello from Tiny", Plain(result.Cells[0].Outputs.Single()));
        Assert.Equal("next to the notebook", Plain(result.Cells[1].Outputs.Single()));
    }

    [Fact]
    public async Task Execute_ReferenceAfterCode_FailsWithCS7009LikeTheKernel()
    {
        using var nb = new TestNotebook();
        TinyLibrary.Compile(Path.Combine(nb.Directory, "Tiny.dll"), "namespace Tiny; public static class T { }");

        NotebookResult result = await nb.ExecuteAsync("var a = 1;\n#r \"Tiny.dll\"");

        Assert.False(result.Succeeded);
        Assert.Contains("CS7009", result.Failure, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Execute_UnknownNugetPackage_FailsNamingThePackage()
    {
        using var nb = new TestNotebook();
        NotebookResult result = await nb.ExecuteAsync("#r \"nuget: Newtonsoft.Json, 13.0.3\"\n1");

        Assert.False(result.Succeeded);
        Assert.Contains("'Newtonsoft.Json' is not available in the headless runner; known: Plotly.NET.Interactive", result.Failure, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Execute_ThrowingCell_ReportsNotebookAndCellAndStopsThere()
    {
        using var nb = new TestNotebook();
        NotebookResult result = await nb.ExecuteAsync(
            "md:# Title",
            "var n = 1;",
            "throw new InvalidOperationException(\"boom\");",
            "n + 1");

        Assert.Equal("nb.ipynb: cell 2: InvalidOperationException: boom", result.Failure);
        Assert.Equal(2, result.FailedCell);
        Assert.Equal(2, result.Cells.Count);
        Assert.Equal(3, result.CodeCells);
        CellOutput error = result.Cells[1].Error!;
        Assert.Equal("System.InvalidOperationException: boom", error.Traceback[0]);
        Assert.DoesNotContain(error.Traceback, l => l.Contains("at NotebookRunner.", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Execute_CompileError_ReportsDiagnostics()
    {
        using var nb = new TestNotebook();
        NotebookResult result = await nb.ExecuteAsync("var ok = 1;", "int x = \"text\";");

        Assert.False(result.Succeeded);
        Assert.Equal(2, result.FailedCell);
        Assert.Contains("(1,9): error CS0029", result.Failure, StringComparison.Ordinal);
        Assert.Equal("CompilationError", result.Cells[1].Error!.ErrorName);
    }

    [Fact]
    public async Task Execute_PlotlyPackageAndChart_ChartBecomesHtmlWithPlotDiv()
    {
        using var nb = new TestNotebook();
        NotebookResult result = await nb.ExecuteAsync(
            "#r \"nuget: Plotly.NET.Interactive, 6.0.0\"\nusing Plotly.NET;",
            "var bars = new Trace(\"bar\");\nbars.SetProperty(\"x\", new[] { 1, 2 });\nbars.SetProperty(\"y\", new[] { 3, 4 });\nGenericChart.ofTraceObject(true, bars)");

        Succeeded(result);
        CellOutput chart = result.Cells[1].Outputs.Single();
        Assert.Equal(["text/html"], chart.Data.Keys);
        Assert.Matches("<div id=\"[0-9a-f-]+\">", chart.Data["text/html"]);
        Assert.Contains("Plotly.newPlot", chart.Data["text/html"], StringComparison.Ordinal);
        Assert.Equal(1, result.Charts);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Execute_ChartFromReferencedLibrary_BindsToRunnersPlotlyAndIsFormatted(bool plotlyCopyNextToLibrary)
    {
        using var nb = new TestNotebook();
        if (plotlyCopyNextToLibrary)
        {
            // A library folder holding its own Plotly.NET.dll must still bind to the runner's copy.
            string plotly = typeof(Plotly.NET.GenericChart).Assembly.Location;
            File.Copy(plotly, Path.Combine(nb.Directory, Path.GetFileName(plotly)));
        }

        TinyLibrary.Compile(Path.Combine(nb.Directory, "ChartLib.dll"), """
            using Plotly.NET;
            namespace ChartLib;
            public static class Charts
            {
                public static GenericChart Bars()
                {
                    var bars = new Trace("bar");
                    bars.SetProperty("y", new[] { 5, 1, 4 });
                    return GenericChart.ofTraceObject(true, bars);
                }
            }
            """);

        NotebookResult result = await nb.ExecuteAsync(
            "#r \"nuget: Plotly.NET.Interactive, 6.0.0\"\n#r \"ChartLib.dll\"",
            "display(ChartLib.Charts.Bars());\nChartLib.Charts.Bars().GetType().BaseType!.Assembly == typeof(Plotly.NET.GenericChart).Assembly");

        Succeeded(result);
        CellResult cell = result.Cells[1];
        Assert.Contains("Plotly.newPlot", cell.Outputs[0].Data["text/html"], StringComparison.Ordinal);
        Assert.Equal("True", Plain(cell.Outputs[1]));
        Assert.Equal(1, cell.Charts);
    }

    [Fact]
    public async Task Execute_NoPlotlyPackage_ChartFormatterNotRegistered()
    {
        using var nb = new TestNotebook();
        await nb.ExecuteAsync("#r \"nuget: Plotly.NET.Interactive, 6.0.0\"");

        // A new notebook starts like a fresh kernel: the previous notebook's chart formatter is gone.
        NotebookResult result = await nb.ExecuteAsync("1");

        Succeeded(result);
        Assert.DoesNotContain(Microsoft.DotNet.Interactive.Formatting.Formatter.RegisteredFormatters(false),
            f => f.Type == typeof(Plotly.NET.GenericChart));
    }

    [Fact]
    public async Task Execute_CellForAnotherKernel_FailsNamingTheKernel()
    {
        using var nb = new TestNotebook();
        string path = nb.Write("nb.ipynb", "1");
        string json = File.ReadAllText(path).Replace("\"kernelName\":\"csharp\"", "\"kernelName\":\"fsharp\"", StringComparison.Ordinal);
        File.WriteAllText(path, json);

        NotebookResult result = await new NotebookExecutor(TextWriter.Null).ExecuteAsync(NotebookDocument.Load(path));

        Assert.Equal("nb.ipynb: cell 1: UnsupportedKernel: the cell is for the 'fsharp' kernel; the headless runner runs C# cells only", result.Failure);
    }
}
