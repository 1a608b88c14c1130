using System.Text.Json.Nodes;

namespace NotebookRunner;

/// <summary>
/// One nbformat output of a code cell, of the four kinds the C# kernel writes (POLYGLOT.md):
/// <c>stream</c> (Console), <c>display_data</c> (<c>display(...)</c>), <c>execute_result</c>
/// (the last expression's value) and <c>error</c>.
/// </summary>
public sealed class CellOutput
{
    private CellOutput(string outputType)
    {
        OutputType = outputType;
    }

    /// <summary>nbformat's <c>output_type</c>.</summary>
    public string OutputType { get; }

    /// <summary>For a stream: <c>stdout</c> or <c>stderr</c>.</summary>
    public string StreamName { get; private init; } = "";

    /// <summary>For a stream: the text written.</summary>
    public string Text { get; private init; } = "";

    /// <summary>For display_data and execute_result: the mime bundle (mime type → content).</summary>
    public IReadOnlyDictionary<string, string> Data { get; private init; } = new Dictionary<string, string>();

    /// <summary>For execute_result: the count of the cell run that produced it.</summary>
    public int? ExecutionCount { get; private init; }

    /// <summary>For an error: the exception's type name.</summary>
    public string ErrorName { get; private init; } = "";

    /// <summary>For an error: the exception's message.</summary>
    public string ErrorValue { get; private init; } = "";

    /// <summary>For an error: the lines Jupyter shows under it.</summary>
    public IReadOnlyList<string> Traceback { get; private init; } = [];

    /// <summary>Text written to <c>Console.Out</c> (<c>stdout</c>) or <c>Console.Error</c> (<c>stderr</c>).</summary>
    public static CellOutput Stream(string name, string text) => new("stream") { StreamName = name, Text = text };

    /// <summary>A value shown by <c>display(...)</c>.</summary>
    public static CellOutput DisplayData(IReadOnlyDictionary<string, string> data) => new("display_data") { Data = data };

    /// <summary>The value of the cell's last expression.</summary>
    public static CellOutput ExecuteResult(int executionCount, IReadOnlyDictionary<string, string> data) =>
        new("execute_result") { Data = data, ExecutionCount = executionCount };

    /// <summary>A compile error or an exception that ended the cell.</summary>
    public static CellOutput Error(string name, string value, IReadOnlyList<string> traceback) =>
        new("error") { ErrorName = name, ErrorValue = value, Traceback = traceback };

    /// <summary>The output as nbformat 4 JSON.</summary>
    public JsonObject ToJson()
    {
        var json = new JsonObject { ["output_type"] = OutputType };
        switch (OutputType)
        {
            case "stream":
                json["name"] = StreamName;
                json["text"] = NotebookDocument.WriteMultiline(Text);
                break;
            case "display_data":
            case "execute_result":
                var data = new JsonObject();
                foreach (var (mime, content) in Data)
                {
                    data[mime] = NotebookDocument.WriteMultiline(content);
                }

                json["data"] = data;
                json["metadata"] = new JsonObject();
                if (OutputType == "execute_result")
                {
                    json["execution_count"] = ExecutionCount;
                }

                break;
            case "error":
                json["ename"] = ErrorName;
                json["evalue"] = ErrorValue;
                json["traceback"] = new JsonArray(Traceback.Select(l => (JsonNode?)l).ToArray());
                break;
        }

        return json;
    }

    /// <summary>Reads an output from nbformat JSON (unknown kinds come back with only their type).</summary>
    public static CellOutput FromJson(JsonObject json)
    {
        string type = (string?)json["output_type"] ?? "";
        return type switch
        {
            "stream" => Stream((string?)json["name"] ?? "stdout", NotebookDocument.ReadMultiline(json["text"])),
            "display_data" or "execute_result" => new CellOutput(type)
            {
                Data = json["data"] is JsonObject data
                    ? data.ToDictionary(p => p.Key, p => NotebookDocument.ReadMultiline(p.Value))
                    : new Dictionary<string, string>(),
                ExecutionCount = json["execution_count"] is JsonValue v && v.TryGetValue(out int n) ? n : null,
            },
            "error" => Error(
                (string?)json["ename"] ?? "",
                (string?)json["evalue"] ?? "",
                json["traceback"] is JsonArray lines ? lines.Select(l => (string?)l ?? "").ToArray() : []),
            _ => new CellOutput(type),
        };
    }
}
