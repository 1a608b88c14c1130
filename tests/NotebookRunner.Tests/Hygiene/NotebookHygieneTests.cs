using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace NotebookRunner.Tests;

/// <summary>
/// The house rules every notebook of the course keeps (DESIGN.md, POLYGLOT.md), so it opens in VS
/// Code with the C# kernel, diffs cleanly, and can be re-run from the top.
/// </summary>
/// <remarks>
/// The exercise marker the notebooks share: a markdown heading that starts with "Try this", and
/// after it a code cell that calls a check method of the section's exercises class
/// (<c>EchoExercises.CheckPieceSizePrediction(...)</c>, <c>AppProtocolExercise.CheckBytesAction(...)</c>):
/// the library method that prints ✅/❌ with the reason, backed by a test of its own.
/// </remarks>
[Collection(CourseCollection.Name)]
public sealed partial class NotebookHygieneTests(CourseRun course)
{
    public static TheoryData<string> Notebooks => Repository.NotebookNames();

    [Theory]
    [MemberData(nameof(Notebooks))]
    public void Notebook_PolyglotMetadata_CSharpKernelForTheNotebookAndEveryCodeCell(string name)
    {
        JsonObject notebook = Json(name);

        Assert.Equal(".net-csharp", (string?)notebook["metadata"]?["kernelspec"]?["name"]);
        Assert.Equal("csharp", (string?)notebook["metadata"]?["polyglot_notebook"]?["kernelInfo"]?["defaultKernelName"]);
        Assert.Equal(4, (int?)notebook["nbformat"]);
        Assert.True((int?)notebook["nbformat_minor"] >= 5, "nbformat 4.5 or later (cell ids)");
        foreach (JsonObject cell in Cells(notebook).Where(c => (string?)c["cell_type"] == "code"))
        {
            Assert.Equal("csharp", (string?)cell["metadata"]?["polyglot_notebook"]?["kernelName"]);
            Assert.Equal("csharp", (string?)cell["metadata"]?["dotnet_interactive"]?["language"]);
        }
    }

    [Theory]
    [MemberData(nameof(Notebooks))]
    public void Notebook_EveryCell_HasAUniqueId(string name)
    {
        string?[] ids = Cells(Json(name)).Select(c => (string?)c["id"]).ToArray();

        Assert.All(ids, id => Assert.False(string.IsNullOrWhiteSpace(id), "a cell has no id"));
        Assert.Equal(ids.Length, ids.Distinct(StringComparer.Ordinal).Count());
    }

    [Theory]
    [MemberData(nameof(Notebooks))]
    public void Notebook_Committed_WithoutOutputs(string name)
    {
        foreach (JsonObject cell in Cells(Json(name)).Where(c => (string?)c["cell_type"] == "code"))
        {
            Assert.True(cell["outputs"] is JsonArray { Count: 0 }, $"cell {cell["id"]} has outputs");
            Assert.Null(cell["execution_count"]);
        }
    }

    [Theory]
    [MemberData(nameof(Notebooks))]
    public void Notebook_FirstCodeCell_OnlyReferencesAndUsings(string name)
    {
        string first = Code(name).First();

        string[] other = first.Split('\n').Select(l => l.Trim())
            .Where(l => l.Length > 0 && !l.StartsWith("#r ", StringComparison.Ordinal) && !UsingLine().IsMatch(l))
            .ToArray();
        Assert.True(other.Length == 0, $"the first code cell should hold only #r and using lines; also has: {string.Join(" | ", other)}");
        // No package: the charts are the library's own and the final kernel cannot load Plotly.NET (POLYGLOT.md).
        Assert.DoesNotContain("nuget:", first, StringComparison.Ordinal);
        Assert.Contains("#r \"../artifacts/bin/SocketsNotebooks/debug/SocketsNotebooks.dll\"", first, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Notebooks))]
    public void Notebook_LastCodeCell_StopsWhatTheNotebookStarted(string name)
    {
        string last = Code(name).Last();

        Assert.Matches(StopCall(), last);
    }

    [Theory]
    [MemberData(nameof(Notebooks))]
    public void Notebook_TryThisExercise_FollowedByACheckCell(string name)
    {
        JsonObject[] cells = Cells(Json(name)).ToArray();
        int tryThis = Array.FindIndex(cells, c => (string?)c["cell_type"] == "markdown" && TryThisHeading().IsMatch(Source(c)));
        Assert.True(tryThis >= 0, "no markdown heading starting with \"Try this\"");

        bool checkCell = cells.Skip(tryThis + 1).Any(c => (string?)c["cell_type"] == "code" && CheckCall().IsMatch(Source(c)));
        Assert.True(checkCell, "no code cell after \"Try this\" calls an exercises class's Check… method");
    }

    [Theory]
    [MemberData(nameof(Notebooks))]
    public void Notebook_WhenRun_DrawsAtLeastOneChart(string name)
    {
        NotebookResult result = course.Result(name);

        Assert.True(result.Charts > 0, $"{name} drew no chart in the course run ({result.Failure ?? "all cells ran"})");
    }

    [Fact]
    public void Course_AfterEachNotebook_NoListeningSocketLeftInItsKernelAndNoKernelLeftAtTheEnd()
    {
        string[] leaks = course.ListeningAfterNotebook
            .Where(kv => kv.Value.Count > 0)
            .Select(kv => $"{kv.Key} left listening: {string.Join(", ", kv.Value)}")
            .ToArray();

        Assert.Equal(course.Results.Count, course.ListeningAfterNotebook.Count);
        Assert.True(leaks.Length == 0, string.Join("\n", leaks));
        Assert.Empty(course.KernelsAfterCourse);
    }

    private static JsonObject Json(string name) =>
        (JsonObject)JsonNode.Parse(File.ReadAllText(Path.Combine(Repository.Notebooks, name)))!;

    private static IEnumerable<JsonObject> Cells(JsonObject notebook) => ((JsonArray)notebook["cells"]!).OfType<JsonObject>();

    private static string Source(JsonObject cell) => cell["source"] switch
    {
        JsonArray lines => string.Concat(lines.Select(l => (string?)l)),
        JsonValue text => (string?)text ?? "",
        _ => "",
    };

    private static IEnumerable<string> Code(string name) =>
        Cells(Json(name)).Where(c => (string?)c["cell_type"] == "code").Select(Source).Where(s => !string.IsNullOrWhiteSpace(s));

    [GeneratedRegex(@"^using\s+(static\s+)?[\w.]+(\s*=\s*[\w.<>]+)?\s*;$")]
    private static partial Regex UsingLine();

    [GeneratedRegex(@"\b(Stop|StopAll|Dispose|DisposeAsync|Close)\s*\(")]
    private static partial Regex StopCall();

    [GeneratedRegex(@"^#+\s*Try this", RegexOptions.Multiline | RegexOptions.IgnoreCase)]
    private static partial Regex TryThisHeading();

    [GeneratedRegex(@"\b\w+Exercises?\.Check\w*\(")]
    private static partial Regex CheckCall();
}
