using System.Diagnostics.CodeAnalysis;

namespace NotebookRunner;

/// <summary>
/// The globals object every cell runs against. It gives cells the kernel's <c>display(...)</c>,
/// which the kernel brings in with a hidden <c>using static Microsoft.DotNet.Interactive.Kernel</c>
/// (POLYGLOT.md). Public because Roslyn scripting requires an accessible globals type.
/// </summary>
public sealed class ScriptGlobals
{
    private readonly OutputRouter _router;

    internal ScriptGlobals(OutputRouter router)
    {
        _router = router;
    }

    /// <summary>
    /// Shows <paramref name="value"/> now, as a <c>display_data</c> output of the running cell,
    /// formatted for <paramref name="mimeTypes"/> (none: the formatter's preferred ones).
    /// </summary>
    [SuppressMessage("Style", "IDE1006:Naming Styles", Justification = "The kernel's name, so cells run unchanged.")]
    public void display(object? value, params string[] mimeTypes)
    {
        _router.Current.Add(CellOutput.DisplayData(MimeBundle.For(value, mimeTypes)), ChartFormatter.IsChart(value));
    }
}
