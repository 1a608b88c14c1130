using SocketsNotebooks.AppProtocol;
using SocketsNotebooks.Tracing;

namespace SocketsNotebooks.Tests.AppProtocol;

public sealed class AppProtocolExerciseTests
{
    [Fact]
    public void CheckBytesAction_ReferenceSolution_Passes()
    {
        string verdict = Check(app => app.Actions[AppProtocolExercise.ActionName] = AppProtocolExercise.ReferenceBytesAction);

        Assert.StartsWith("✅", verdict);
        Assert.Contains("'🐶' → 4", verdict);
    }

    [Fact]
    public void CheckBytesAction_NoActionAdded_FailsNamingTheAction()
    {
        string verdict = Check(_ => { });

        Assert.StartsWith("❌", verdict);
        Assert.Contains("does not know the action 'bytes'", verdict);
    }

    [Fact]
    public void CheckBytesAction_CountsChars_FailsWithUtf8Hint()
    {
        string verdict = Check(app => app.Actions["bytes"] = value => (value ?? "").Length.ToString());

        Assert.StartsWith("❌", verdict);
        Assert.Contains("UTF-16", verdict);
    }

    [Fact]
    public void CheckBytesAction_ActionThrows_FailsWithoutHanging()
    {
        string verdict = Check(app => app.Actions["bytes"] = _ => throw new NotImplementedException());

        Assert.StartsWith("❌ No answer", verdict);
    }

    private static string Check(Action<SearchApp> solve)
    {
        var trace = new Trace();
        var server = AppServer.Start(trace, name: "exercise-" + Guid.NewGuid());
        try
        {
            solve(server.App);
            return AppProtocolExercise.CheckBytesAction(server.EndPoint, trace);
        }
        finally
        {
            server.Stop();
        }
    }
}
