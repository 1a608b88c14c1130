using Microsoft.DotNet.Interactive.Documents;
using NotebookRunner.Notebooks;

namespace NotebookRunner.Tests;

/// <summary>Short ways to look at a cell's outputs.</summary>
internal static class OutputAssert
{
    /// <summary>The nbformat output types of the cell's outputs, e.g. "stream,display_data,execute_result".</summary>
    public static string Kinds(CellResult cell) => string.Join(",", cell.Outputs.Select(Kind));

    /// <summary>The nbformat output type an output is written as.</summary>
    public static string Kind(InteractiveDocumentOutputElement output) => output switch
    {
        TextElement => "stream",
        DisplayElement => "display_data",
        ReturnValueElement => "execute_result",
        ErrorElement => "error",
        _ => output.GetType().Name,
    };

    /// <summary>The output's data for <paramref name="mimeType"/>; fails when it has none.</summary>
    public static string Data(InteractiveDocumentOutputElement output, string mimeType)
    {
        IDictionary<string, object>? data = output switch
        {
            DisplayElement display => display.Data,
            ReturnValueElement value => value.Data,
            _ => null,
        };
        return data is not null && data.TryGetValue(mimeType, out object? content) && content is string text
            ? text
            : throw new Xunit.Sdk.XunitException($"no {mimeType} in {Kind(output)} (has: {string.Join(", ", data?.Keys ?? [])})");
    }

    public static void Succeeded(NotebookResult result) =>
        Assert.True(result.Succeeded, result.Failure);
}
