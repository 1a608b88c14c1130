using System.Text.Json.Nodes;
using NotebookRunner;

namespace NotebookRunner.Tests;

public sealed class NotebookDocumentTests
{
    [Theory]
    [InlineData("{ \"cells\": [", "is not valid JSON")]
    [InlineData("[1, 2]", "top level is not a JSON object")]
    [InlineData("{ \"nbformat\": 3, \"cells\": [] }", "is not nbformat 4")]
    [InlineData("{ \"nbformat\": 4 }", "has no \"cells\" list")]
    [InlineData("{ \"nbformat\": 4, \"cells\": [ { \"cell_type\": \"code\" } ] }", "cell 1 has no")]
    public void Parse_Malformed_ThrowsNamingTheFile(string json, string reason)
    {
        var e = Assert.Throws<NotebookFormatException>(() => NotebookDocument.Parse("notebooks/07-broken.ipynb", json));

        Assert.StartsWith("notebooks/07-broken.ipynb: ", e.Message, StringComparison.Ordinal);
        Assert.Contains(reason, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_SourceAsListOfLines_JoinsThem()
    {
        NotebookDocument doc = NotebookDocument.Parse("x.ipynb",
            """{ "nbformat": 4, "cells": [ { "cell_type": "code", "source": ["var a = 1;\n", "a"] } ] }""");

        Assert.Equal("var a = 1;\na", doc.CodeCells.Single().Source);
    }

    [Fact]
    public async Task Save_AfterRun_IsNbformat4WithTypedOutputsAndMetadataKept()
    {
        using var nb = new TestNotebook();
        string path = nb.Write("05-shape.ipynb",
            "md:# Shape",
            "Console.WriteLine(\"out\");\ndisplay(1);\n2",
            "throw new InvalidOperationException(\"stop\");",
            "3");

        NotebookResult result = await nb.RunAsync(path);

        var written = JsonNode.Parse(File.ReadAllText(result.NotebookOutputPath!))!.AsObject();
        Assert.Equal(4, (int)written["nbformat"]!);
        Assert.Equal(".net-csharp", (string?)written["metadata"]!["kernelspec"]!["name"]);
        JsonArray cells = written["cells"]!.AsArray();
        Assert.Equal("cell1", (string?)cells[1]!["id"]);
        Assert.Equal("csharp", (string?)cells[1]!["metadata"]!["polyglot_notebook"]!["kernelName"]);

        JsonArray first = cells[1]!["outputs"]!.AsArray();
        Assert.Equal(["stream", "display_data", "execute_result"], first.Select(o => (string?)o!["output_type"]));
        Assert.Equal("stdout", (string?)first[0]!["name"]);
        Assert.Equal("2", string.Concat(first[2]!["data"]!["text/plain"]!.AsArray().Select(l => (string?)l)));
        Assert.Equal(1, (int)first[2]!["execution_count"]!);
        Assert.Equal(1, (int)cells[1]!["execution_count"]!);

        JsonObject error = cells[2]!["outputs"]!.AsArray().Single()!.AsObject();
        Assert.Equal("error", (string?)error["output_type"]);
        Assert.Equal("InvalidOperationException", (string?)error["ename"]);
        Assert.Equal("stop", (string?)error["evalue"]);
        Assert.NotEmpty(error["traceback"]!.AsArray());

        Assert.Null(cells[3]!["execution_count"]);
        Assert.Empty(cells[3]!["outputs"]!.AsArray());
        Assert.Null(cells[0]!["outputs"]);
    }
}
