using NotebookRunner;

namespace NotebookRunner.Tests;

/// <summary>Short ways to look at a cell's outputs.</summary>
internal static class OutputAssert
{
    public static string Kinds(CellResult cell) => string.Join(",", cell.Outputs.Select(o => o.OutputType));

    public static string Plain(CellOutput output) =>
        output.Data.TryGetValue("text/plain", out string? text) ? text : throw new Xunit.Sdk.XunitException("no text/plain in " + output.OutputType);

    public static void Succeeded(NotebookResult result) =>
        Assert.True(result.Succeeded, result.Failure);
}
