using System.Collections.Immutable;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Scripting;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Scripting;
using Microsoft.DotNet.Interactive.Formatting;

namespace NotebookRunner;

/// <summary>
/// Runs the code cells of one notebook the way the C# kernel does (CSharpKernel, POLYGLOT.md):
/// one Roslyn scripting state, the first cell with <c>CSharpScript.RunAsync</c> and every later
/// one with <c>ScriptState.ContinueWithAsync</c>, so variables, types and usings carry over.
/// </summary>
public sealed class CellRunner
{
    /// <summary>
    /// The kernel's default imports. (Later kernels also import <c>Microsoft.DotNet.Interactive</c>
    /// for <c>display</c>; here <see cref="ScriptGlobals"/> provides it.)
    /// </summary>
    public static IReadOnlyList<string> DefaultImports { get; } =
    [
        "System", "System.Text", "System.Collections", "System.Collections.Generic", "System.Threading.Tasks", "System.Linq",
    ];

    private static readonly MethodInfo? s_hasReturnValue =
        typeof(Script).GetMethod("HasReturnValue", BindingFlags.Instance | BindingFlags.NonPublic);

    private readonly ScriptGlobals _globals;
    private readonly HashSet<string> _packages = new(StringComparer.OrdinalIgnoreCase);
    private ScriptOptions _options;
    private ScriptState<object>? _state;

    /// <summary>
    /// Prepares a fresh state for a notebook in <paramref name="notebookDirectory"/>; <c>#r</c>
    /// paths resolve against it, as in the kernel, whose working directory is the notebook's folder.
    /// </summary>
    public CellRunner(string notebookDirectory, ScriptGlobals globals)
    {
        _globals = globals;
        _options = ScriptOptions.Default
            .WithLanguageVersion(LanguageVersion.Latest)
            .WithImports(DefaultImports)
            .AddReferences(typeof(Enumerable).Assembly, typeof(IEnumerable<>).Assembly, typeof(Task<>).Assembly, typeof(Formatter).Assembly)
            .WithMetadataResolver(ScriptMetadataResolver.Default.WithBaseDirectory(notebookDirectory))
            .WithSourceResolver(new SourceFileResolver(ImmutableArray<string>.Empty, notebookDirectory));
    }

    /// <summary>
    /// Runs one cell's code, adding its last expression's value (if it has one) or its error to
    /// <paramref name="outputs"/>. A failed cell leaves the state as it was before the cell.
    /// </summary>
    public async Task RunAsync(string code, int executionCount, CellOutputCollector outputs, TimeSpan timeout)
    {
        try
        {
            string lifted = NugetReferences.Lift(code, out IReadOnlyList<string> packages);
            foreach (string package in packages)
            {
                AddPackage(package);
            }

            // Roslyn's loader binds a #r'd library's Plotly.NET to the copy the runner already loaded
            // (even with another Plotly.NET.dll next to the library), so the GenericChart a library
            // returns is the runner's type and gets the chart formatter — as in the kernel
            // (POLYGLOT.md; NotebookExecutorTests checks both cases).
            Task<ScriptState<object>> run = _state is null
                ? CSharpScript.RunAsync(lifted, _options, _globals, typeof(ScriptGlobals))
                : _state.ContinueWithAsync(lifted, _options);
            _state = await run.WaitAsync(timeout).ConfigureAwait(false);
        }
        catch (CompilationErrorException e)
        {
            // The kernel reports the diagnostics, one per line, as the failure message.
            string[] diagnostics = e.Diagnostics.Select(d => d.ToString()).ToArray();
            outputs.Add(CellOutput.Error("CompilationError", string.Join(Environment.NewLine, diagnostics), diagnostics));
            return;
        }
        catch (TimeoutException)
        {
            outputs.Add(CellOutput.Error("Timeout", $"the cell did not finish within {timeout.TotalSeconds:0} s", []));
            return;
        }
        catch (Exception e)
        {
            outputs.Add(CellOutput.Error(e.GetType().Name, e.Message, Traceback(e)));
            return;
        }

        // No value for a cell ending in a statement (`x;`, an `if`, a void call): only a trailing
        // expression shows one, as in the kernel.
        if (HasReturnValue(_state.Script))
        {
            object? value = _state.ReturnValue;
            outputs.Add(CellOutput.ExecuteResult(executionCount, MimeBundle.For(value)), ChartFormatter.IsChart(value));
        }
    }

    // The kernel asks Roslyn's internal Script.HasReturnValue() by reflection; so do we, with a
    // syntax check as the fallback should a later Roslyn rename it: the last top-level statement is
    // an expression with no semicolon.
    private static bool HasReturnValue(Script script)
    {
        if (s_hasReturnValue?.Invoke(script, null) is bool answer)
        {
            return answer;
        }

        return script.GetCompilation().SyntaxTrees.LastOrDefault()?.GetRoot() is CompilationUnitSyntax unit
            && unit.Members.LastOrDefault() is GlobalStatementSyntax { Statement: ExpressionStatementSyntax { SemicolonToken.IsMissing: true } };
    }

    // The exception's own lines, without the frames of Roslyn's script executor and of this runner
    // under the submission: a reader can act only on the frames of their cell and their library.
    private static string[] Traceback(Exception e)
    {
        string[] lines = e.ToString().Split(Environment.NewLine);
        var kept = new List<string>();
        foreach (string line in lines)
        {
            string trimmed = line.TrimStart();
            if (trimmed.StartsWith("at Microsoft.CodeAnalysis.Scripting.", StringComparison.Ordinal)
                || trimmed.StartsWith("at NotebookRunner.", StringComparison.Ordinal))
            {
                if (kept.Count > 0 && kept[^1].StartsWith("--- End of stack trace", StringComparison.Ordinal))
                {
                    kept.RemoveAt(kept.Count - 1);
                }

                continue;
            }

            kept.Add(line);
        }

        return kept.ToArray();
    }

    private void AddPackage(string package)
    {
        IReadOnlyList<Assembly> assemblies = NugetReferences.Resolve(package);
        if (_packages.Add(package))
        {
            // Plotly.NET.Interactive (the only known package) brings the chart formatter with it.
            _options = _options.AddReferences(assemblies);
            ChartFormatter.Register();
        }
    }
}
