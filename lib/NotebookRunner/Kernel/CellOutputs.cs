using System.Text.RegularExpressions;
using Microsoft.DotNet.Interactive.Documents;
using Microsoft.DotNet.Interactive.Events;
using Microsoft.DotNet.Interactive.Formatting;

namespace NotebookRunner.Kernel;

/// <summary>
/// Turns the kernel's events for one cell into the cell's nbformat outputs, as a notebook front end
/// does: standard output and error → <c>stream</c>; <c>DisplayedValueProduced</c> → <c>display_data</c>
/// (a later <c>DisplayedValueUpdated</c> with the same value id replaces it); <c>ReturnValueProduced</c>
/// → <c>execute_result</c>; <c>ErrorProduced</c> and the cell's <c>CommandFailed</c> → <c>error</c>.
/// Everything else (submission received, diagnostics, kernel info) is bookkeeping, not output.
/// </summary>
public static partial class CellOutputs
{
    /// <summary>The outputs of a cell whose events are <paramref name="events"/>, in the order they happened.</summary>
    public static IReadOnlyList<InteractiveDocumentOutputElement> From(IEnumerable<KernelEvent> events, string cellToken, int executionCount)
    {
        ArgumentNullException.ThrowIfNull(events);
        var outputs = new List<InteractiveDocumentOutputElement>();
        var displayed = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (KernelEvent e in events)
        {
            switch (e)
            {
                case StandardOutputValueProduced stdout:
                    AppendStream(outputs, "stdout", Text(stdout));
                    break;
                case StandardErrorValueProduced stderr:
                    AppendStream(outputs, "stderr", Text(stderr));
                    break;
                case DisplayedValueUpdated update when update.ValueId is { } id && displayed.TryGetValue(id, out int at):
                    outputs[at] = new DisplayElement(Data(update));
                    break;
                case ReturnValueProduced value when Data(value) is { Count: > 0 } data:
                    outputs.Add(ReturnValue(data, executionCount));
                    break;
                case ErrorProduced error:
                    outputs.Add(new ErrorElement(error.Message, "Error", []));
                    break;
                case DisplayEvent display when display is DisplayedValueProduced or DisplayedValueUpdated && Data(display) is { Count: > 0 } data:
                    if (display.ValueId is { } valueId)
                    {
                        displayed[valueId] = outputs.Count;
                    }

                    outputs.Add(new DisplayElement(data));
                    break;
                case CommandFailed failed when failed.Command?.GetOrCreateToken() == cellToken:
                    outputs.Add(Error(failed.Message));
                    break;
            }
        }

        return outputs;
    }

    /// <summary>
    /// The error output for a failure message. The kernel sends the exception's text
    /// ("System.InvalidOperationException: boom" and its stack) or, for code that did not compile,
    /// the diagnostics, one per line ("(1,9): error CS0029: ...").
    /// </summary>
    public static ErrorElement Error(string message)
    {
        string[] lines = (message ?? "").Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        if (CompileError().IsMatch(lines[0]))
        {
            return new ErrorElement(string.Join('\n', lines), "CompilationError", lines);
        }

        Match exception = ExceptionLine().Match(lines[0]);
        return exception.Success
            ? new ErrorElement(exception.Groups["message"].Value, exception.Groups["type"].Value, lines)
            : new ErrorElement(lines[0], "Error", lines);
    }

    private static ReturnValueElement ReturnValue(Dictionary<string, object> data, int executionCount)
    {
        var value = new ReturnValueElement { ExecutionOrder = executionCount };
        foreach (var (mimeType, content) in data)
        {
            value.Data[mimeType] = content;
        }

        return value;
    }

    // Consecutive writes to one stream read as one block, as Jupyter shows them.
    private static void AppendStream(List<InteractiveDocumentOutputElement> outputs, string name, string text)
    {
        if (text.Length == 0)
        {
            return;
        }

        if (outputs.Count > 0 && outputs[^1] is TextElement last && last.Name == name)
        {
            outputs[^1] = new TextElement(last.Text + text, name);
            return;
        }

        outputs.Add(new TextElement(text, name));
    }

    private static string Text(DisplayEvent e) =>
        e.FormattedValues.FirstOrDefault(v => v.MimeType == PlainTextFormatter.MimeType)?.Value ?? "";

    // A value the kernel marks suppressDisplay is meant for other consumers, not for the notebook.
    private static Dictionary<string, object> Data(DisplayEvent e) =>
        e.FormattedValues.Where(v => !v.SuppressDisplay)
            .GroupBy(v => v.MimeType, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => (object)g.First().Value, StringComparer.Ordinal);

    [GeneratedRegex(@"^\(\d+,\d+\): (error|warning) [A-Z]+\d+")]
    private static partial Regex CompileError();

    // "System.InvalidOperationException: boom" → type InvalidOperationException, message "boom".
    [GeneratedRegex(@"^(?:[\w`]+\.)*(?<type>[\w`]*(?:Exception|Error))(?::\s?(?<message>.*))?$")]
    private static partial Regex ExceptionLine();
}
