namespace NotebookRunner.Tests;

/// <summary>The tests that share one <see cref="CourseRun"/>.</summary>
[CollectionDefinition(Name)]
public sealed class CourseCollection : ICollectionFixture<CourseRun>
{
    /// <summary>The collection's name, for <c>[Collection(CourseCollection.Name)]</c>.</summary>
    public const string Name = "course run";
}
