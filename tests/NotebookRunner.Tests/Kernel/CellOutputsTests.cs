using Microsoft.DotNet.Interactive.Commands;
using Microsoft.DotNet.Interactive.Connection;
using Microsoft.DotNet.Interactive.Documents;
using Microsoft.DotNet.Interactive.Events;
using Microsoft.DotNet.Interactive.Formatting;
using static NotebookRunner.Tests.OutputAssert;

namespace NotebookRunner.Tests;

/// <summary>
/// The kernel's events → nbformat outputs, replayed from events the real kernel sent
/// (Recordings/kernel-events.jsonl, written by Recordings/record.py), so the mapping is checked
/// against the protocol as it is, without starting a kernel.
/// </summary>
public sealed class CellOutputsTests
{
    private static readonly IReadOnlyList<KernelEvent> s_recorded = File.ReadLines(
            Path.Combine(Repository.Root, "tests", "NotebookRunner.Tests", "Kernel", "Recordings", "kernel-events.jsonl"))
        .Where(line => line.StartsWith('{'))
        .Select(line => KernelEventEnvelope.Deserialize(line).Event)
        .ToArray();

    [Fact]
    public void From_ConsoleWrites_OneStreamPerRunOfTheSameStreamInOrder()
    {
        var outputs = Outputs("streams");

        Assert.Equal(
            [("stdout", "hello\nagain\n"), ("stderr", "oops\n"), ("stdout", "after\n")],
            outputs.Cast<TextElement>().Select(t => (t.Name, t.Text)));
    }

    [Fact]
    public void From_DisplayUpdatedThenListThenValue_OneOutputEachAndValueCarriesTheExecutionCount()
    {
        var outputs = Outputs("displays", executionCount: 7);

        // Kernel 1.0.712001 sends DisplayedValueUpdated under a new value id, not the one it displayed
        // "first" under (see the recording), so nothing matches it to replace: it shows as an output of its own.
        Assert.Equal(["display_data", "display_data", "display_data", "execute_result"], outputs.Select(Kind));
        Assert.Equal(["first", "second"], outputs.Take(2).Select(o => Data(o, "text/plain")));
        Assert.Contains("<pre>[ 1, 2 ]</pre>", Data(outputs[2], "text/html"), StringComparison.Ordinal);
        Assert.Contains("<pre>42</pre>", Data(outputs[3], "text/html"), StringComparison.Ordinal);
        Assert.Equal(7, ((ReturnValueElement)outputs[3]).ExecutionOrder);
    }

    [Fact]
    public void From_UpdateUnderTheIdOfAnEarlierDisplay_ReplacesThatDisplayInPlace()
    {
        var command = new SubmitCode("x");
        command.SetToken("cell1");
        KernelEvent[] events =
        [
            new DisplayedValueProduced("a", command, [new FormattedValue("text/plain", "first")], valueId: "v1"),
            new StandardOutputValueProduced(command, [new FormattedValue("text/plain", "between\n")]),
            new DisplayedValueUpdated("b", "v1", command, [new FormattedValue("text/plain", "second")]),
        ];

        var outputs = CellOutputs.From(events, "cell1", 1);

        Assert.Equal(["display_data", "stream"], outputs.Select(Kind));
        Assert.Equal("second", Data(outputs[0], "text/plain"));
    }

    [Fact]
    public void From_StatementWithoutValue_NoOutput()
    {
        Assert.Empty(Outputs("statement"));
    }

    [Fact]
    public void From_Exception_ErrorNamedByTheExceptionTypeWithTheKernelsLines()
    {
        ErrorElement error = Assert.IsType<ErrorElement>(Assert.Single(Outputs("exception")));

        Assert.Equal(("InvalidOperationException", "boom"), (error.ErrorName, error.ErrorValue));
        Assert.Equal("System.InvalidOperationException: boom", error.StackTrace[0]);
        Assert.Contains(error.StackTrace, line => line.TrimStart().StartsWith("at Submission#", StringComparison.Ordinal));
    }

    [Fact]
    public void From_CodeThatDoesNotCompile_CompilationErrorWithTheDiagnostics()
    {
        ErrorElement error = Assert.IsType<ErrorElement>(Assert.Single(Outputs("compile")));

        Assert.Equal("CompilationError", error.ErrorName);
        Assert.StartsWith("(1,13): error CS0029: Cannot implicitly convert type 'string' to 'int'", error.ErrorValue, StringComparison.Ordinal);
    }

    [Fact]
    public void From_EventsOfAnotherCell_Ignored()
    {
        // Every recorded event, with "displays" as the cell: the other cells' output and failures stay out.
        var outputs = CellOutputs.From(s_recorded.Where(e => Token(e)?.StartsWith("displays", StringComparison.Ordinal) == true || Token(e) is "exception"), "displays", 1);

        Assert.Equal(["display_data", "display_data", "display_data", "execute_result"], outputs.Select(Kind));
    }

    [Fact]
    public void From_ValueMarkedSuppressDisplay_LeftOut()
    {
        var command = new SubmitCode("x");
        command.SetToken("cell1");
        var shown = new FormattedValue("text/plain", "shown");
        var hidden = new FormattedValue("text/html", "<b>hidden</b>") { SuppressDisplay = true };

        var outputs = CellOutputs.From([new DisplayedValueProduced("value", command, [shown, hidden])], "cell1", 1);

        var display = Assert.IsType<DisplayElement>(Assert.Single(outputs));
        Assert.Equal(["text/plain"], display.Data.Keys);
    }

    [Theory]
    [InlineData("System.InvalidOperationException: boom", "InvalidOperationException", "boom")]
    [InlineData("Microsoft.DotNet.Interactive.NoSuitableKernelException: no kernel: fsharp", "NoSuitableKernelException", "no kernel: fsharp")]
    [InlineData("System.IO.FileNotFoundException: Could not load file or assembly 'FSharp.Core, Version=10.1.0.0'", "FileNotFoundException", "Could not load file or assembly 'FSharp.Core, Version=10.1.0.0'")]
    [InlineData("(2,5): error CS0103: The name 'x' does not exist in the current context", "CompilationError", "(2,5): error CS0103: The name 'x' does not exist in the current context")]
    [InlineData("Command cancelled.", "Error", "Command cancelled.")]
    public void Error_KernelFailureMessage_NameAndValue(string message, string name, string value)
    {
        ErrorElement error = CellOutputs.Error(message);

        Assert.Equal((name, value), (error.ErrorName, error.ErrorValue));
    }

    private static IReadOnlyList<InteractiveDocumentOutputElement> Outputs(string token, int executionCount = 1) =>
        CellOutputs.From(s_recorded.Where(e => Token(e) is { } t && (t == token || t.StartsWith(token + ".", StringComparison.Ordinal))), token, executionCount);

    private static string? Token(KernelEvent e) => e.Command?.GetOrCreateToken();
}
