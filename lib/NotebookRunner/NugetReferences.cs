using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.FSharp.Core;
using Plotly.NET;

namespace NotebookRunner;

/// <summary>
/// The kernel's <c>#r "nuget: Name, Version"</c>, headless: the lines are lifted out of the cell
/// before it compiles (the kernel runs them first, POLYGLOT.md), and the packages the runner
/// carries itself are honoured with its own assemblies. Anything else is refused by name —
/// the package feed the kernel would restore from is not part of the headless run.
/// </summary>
public static partial class NugetReferences
{
    /// <summary>The one package the course uses.</summary>
    public const string PlotlyInteractive = "Plotly.NET.Interactive";

    /// <summary>
    /// The references cells get for Plotly.NET.Interactive: the runner's own Plotly.NET and the
    /// packages under it that the kernel's restore would reference as well.
    /// </summary>
    public static IReadOnlyList<Assembly> PlotlyAssemblies { get; } =
    [
        typeof(GenericChart).Assembly,
        typeof(FSharpFunc<,>).Assembly,
        typeof(DynamicObj.DynamicObj).Assembly,
        // Plotly.NET builds its HTML with Giraffe; the kernel's restore would reference it too.
        Assembly.Load(new AssemblyName("Giraffe.ViewEngine")),
    ];

    /// <summary>
    /// Removes the <c>#r "nuget:..."</c> lines from <paramref name="code"/> and returns the package
    /// names. Lifted lines become empty lines, so compile errors keep their line numbers. A
    /// <c>#i</c> line (a package source) throws <see cref="NotSupportedException"/>.
    /// </summary>
    public static string Lift(string code, out IReadOnlyList<string> packages)
    {
        var found = new List<string>();
        string[] lines = code.Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            Match nuget = NugetLine().Match(lines[i]);
            if (nuget.Success)
            {
                found.Add(nuget.Groups["name"].Value.Trim());
                lines[i] = "";
            }
            else if (SourceLine().IsMatch(lines[i]))
            {
                throw new NotSupportedException(
                    $"#i (a package source) is not available in the headless runner: {lines[i].Trim()}");
            }
        }

        packages = found;
        return string.Join('\n', lines);
    }

    /// <summary>The assemblies that stand in for <paramref name="package"/>; throws naming the package if unknown.</summary>
    public static IReadOnlyList<Assembly> Resolve(string package)
    {
        if (string.Equals(package, PlotlyInteractive, StringComparison.OrdinalIgnoreCase))
        {
            return PlotlyAssemblies;
        }

        throw new NotSupportedException(
            $"NuGet package '{package}' is not available in the headless runner; known: {PlotlyInteractive}");
    }

    [GeneratedRegex("""^\s*#r\s+"nuget:\s*(?<name>[^,"]+)(,[^"]*)?"\s*$""", RegexOptions.IgnoreCase)]
    private static partial Regex NugetLine();

    [GeneratedRegex("^\\s*#i\\s+\"")]
    private static partial Regex SourceLine();
}
