namespace NotebookRunner.Tests;

/// <summary>What <see cref="HeadlessChromium"/> saw on one page.</summary>
internal sealed record PageCheck(string Page, IReadOnlyList<string> Charts, IReadOnlyDictionary<string, int> SvgsPerChart, IReadOnlyList<string> Errors)
{
    /// <summary>Charts whose div holds at least one of plotly's rendered SVGs.</summary>
    public int Drawn => Charts.Count(id => SvgsPerChart.TryGetValue(id, out int n) && n > 0);

    /// <summary>Whether every chart was drawn and no script error was logged.</summary>
    public bool Passed => Drawn == Charts.Count && Errors.Count == 0;

    /// <summary>One line for the test output.</summary>
    public override string ToString() =>
        $"{Page}: {Drawn}/{Charts.Count} charts drawn, {Errors.Count} script error(s)" +
        (Errors.Count > 0 ? "\n    " + string.Join("\n    ", Errors) : "");
}
