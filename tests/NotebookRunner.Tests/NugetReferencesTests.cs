using NotebookRunner;

namespace NotebookRunner.Tests;

public sealed class NugetReferencesTests
{
    [Fact]
    public void Lift_NugetLines_RemovedLineNumbersKept()
    {
        string code = "#r \"nuget: Plotly.NET.Interactive, 6.0.0\"\r\n#r \"lib.dll\"\n  #r \"nuget:Other\"\nusing System;";

        string lifted = NugetReferences.Lift(code, out IReadOnlyList<string> packages);

        Assert.Equal(["Plotly.NET.Interactive", "Other"], packages);
        Assert.Equal("\n#r \"lib.dll\"\n\nusing System;", lifted);
    }

    [Fact]
    public void Resolve_UnknownPackage_ThrowsNamingIt()
    {
        var e = Assert.Throws<NotSupportedException>(() => NugetReferences.Resolve("Spectre.Console"));

        Assert.Equal("NuGet package 'Spectre.Console' is not available in the headless runner; known: Plotly.NET.Interactive", e.Message);
    }

    [Fact]
    public void Resolve_PlotlyInteractive_GivesRunnersPlotly()
    {
        Assert.Contains(typeof(Plotly.NET.GenericChart).Assembly, NugetReferences.Resolve("plotly.net.interactive"));
    }

    [Fact]
    public void Lift_PackageSourceLine_Refused()
    {
        Assert.Throws<NotSupportedException>(() => NugetReferences.Lift("#i \"nuget: https://example.org/feed\"", out _));
    }
}
