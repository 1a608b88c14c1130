using Xunit.Abstractions;

namespace NotebookRunner.Tests;

/// <summary>
/// Runs every notebook of the course through the runner, as CI does (QuantumKatas-style: the
/// lessons are tested by executing them). The run itself is <see cref="CourseRun"/>, shared with
/// the site, hygiene and export tests.
/// </summary>
[Collection(CourseCollection.Name)]
public sealed class CourseTests(CourseRun course, ITestOutputHelper output)
{
    [Fact]
    public void EveryNotebook_RunsWithoutCellErrors()
    {
        output.WriteLine(course.Progress);
        Assert.NotEmpty(course.Results);

        string[] failures = course.Results.Where(r => !r.Succeeded).Select(r => r.Failure!).ToArray();
        Assert.True(failures.Length == 0, "cells failed:\n" + string.Join("\n", failures));
    }
}
