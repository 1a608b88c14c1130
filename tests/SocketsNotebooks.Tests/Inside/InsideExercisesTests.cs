using SocketsNotebooks.Inside;

namespace SocketsNotebooks.Tests.Inside;

/// <summary>The check of notebook 07's exercise, run on the recorded full-buffers ladder (segment #13 closed the window).</summary>
public sealed class InsideExercisesTests
{
    private static Task<LadderRun> Recorded() => LadderDemos.ZeroWindowAsync(live: false);

    [Fact]
    public async Task CheckWindowClosed_Blank_AsksForAnAnswerFirst()
    {
        string verdict = InsideExercises.CheckWindowClosed(await Recorded(), 0);

        Assert.StartsWith("❌ Write your answer first", verdict, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckWindowClosed_TheFirstZeroWindow_RightWithTheProbeNamed()
    {
        string verdict = InsideExercises.CheckWindowClosed(await Recorded(), 13);

        Assert.StartsWith("✅ #13", verdict, StringComparison.Ordinal);
        Assert.Contains("ack 12001", verdict, StringComparison.Ordinal);
        Assert.Contains("#14", verdict, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckWindowClosed_TheClientsSegment_ExplainsWhoseWindowItIs()
    {
        string verdict = InsideExercises.CheckWindowClosed(await Recorded(), 12);

        Assert.StartsWith("❌ #12 was sent by the client", verdict, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckWindowClosed_ALaterZeroWindow_AlreadyClosedBefore()
    {
        string verdict = InsideExercises.CheckWindowClosed(await Recorded(), 15);

        Assert.Contains("already closed", verdict, StringComparison.Ordinal);
        Assert.StartsWith("❌", verdict, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckWindowClosed_AnOpenWindow_SaysHowMuchWasStillFree()
    {
        string verdict = InsideExercises.CheckWindowClosed(await Recorded(), 11);

        Assert.StartsWith("❌ #11 advertises win 4,000", verdict, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckWindowClosed_NoSuchSegment_SaysTheRange()
    {
        string verdict = InsideExercises.CheckWindowClosed(await Recorded(), 99);

        Assert.Contains("#1 to #23", verdict, StringComparison.Ordinal);
    }
}
