using SocketsNotebooks.MultiConn;
using SocketsNotebooks.Selectors;

namespace SocketsNotebooks.Tests.MultiConn;

public sealed class MultiConnExercisesTests
{
    [Fact]
    public void CheckInterestRule_ReferenceSolution_Passes()
    {
        string verdict = MultiConnExercises.CheckInterestRule(MultiConnServer.WriteWhenNeeded);

        Assert.StartsWith("✅", verdict, StringComparison.Ordinal);
    }

    [Fact]
    public void CheckInterestRule_TutorialsAlwaysReadWrite_FailsNamingTheBusyLoop()
    {
        string verdict = MultiConnExercises.CheckInterestRule((_, _) => SelectorEvents.Read | SelectorEvents.Write);

        Assert.StartsWith("❌", verdict, StringComparison.Ordinal);
        Assert.Contains("busy loop", verdict, StringComparison.Ordinal);
    }

    [Fact]
    public void CheckInterestRule_KeepsReadAfterFin_Fails()
    {
        string verdict = MultiConnExercises.CheckInterestRule((pending, _) =>
            pending > 0 ? SelectorEvents.Read | SelectorEvents.Write : SelectorEvents.Read);

        Assert.StartsWith("❌", verdict, StringComparison.Ordinal);
        Assert.Contains("FIN", verdict, StringComparison.Ordinal);
    }

    [Fact]
    public void CheckInterestRule_NeverWrites_Fails()
    {
        string verdict = MultiConnExercises.CheckInterestRule((_, _) => SelectorEvents.Read);

        Assert.StartsWith("❌", verdict, StringComparison.Ordinal);
    }
}
