namespace SocketsNotebooks.Tests.Inside;

/// <summary>
/// The tests that start captures, samplers and namespaces run one after another: some check that nothing is left
/// running, and InsideLab.StopAll stops everything of the process.
/// </summary>
[CollectionDefinition(Name)]
public sealed class InsideLabCollection
{
    /// <summary>The collection's name.</summary>
    public const string Name = "inside lab";
}
