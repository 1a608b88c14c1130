using CsCheck;
using SocketsNotebooks.Network;
using SocketsNotebooks.Tracing;

namespace SocketsNotebooks.Tests.Network;

public sealed class PiecesTests
{
    [Fact]
    public void Fixed_EveryPieceTheSameSize()
    {
        Assert.Equal([3, 3, 3, 3], Pieces.Fixed(3).Take(4));
        Assert.Equal([3, 3, 1], Pieces.Fixed(3).Cut(7));
    }

    [Fact]
    public void Sequence_StartsOverAfterTheLastSize()
    {
        Assert.Equal([1, 5, 2, 1, 5, 2, 1], Pieces.Sequence(1, 5, 2).Take(7));
    }

    [Fact]
    public void NewCutter_EachStartsFromTheBeginning()
    {
        var pieces = Pieces.Sequence(1, 2, 3);
        var first = pieces.NewCutter();
        first();
        first();
        Assert.Equal(1, pieces.NewCutter()());
    }

    [Fact]
    public void Random_SameSeed_SameSizesWithinBounds()
    {
        Gen.Select(Gen.Int[1, 20], Gen.Int[0, 20], Gen.Int).Sample((min, extra, seed) =>
        {
            var sizes = Pieces.Random(min, min + extra, seed).Take(50);
            Assert.Equal(sizes, Pieces.Random(min, min + extra, seed).Take(50));
            Assert.All(sizes, s => Assert.InRange(s, min, min + extra));
        }, iter: 200);
    }

    [Fact]
    public void Cut_AnyPattern_PiecesAddUpToTheLength()
    {
        Gen.Select(Gen.Int[0, 500], Gen.Int[1, 9], Gen.Int[0, 9], Gen.Int).Sample((length, min, extra, seed) =>
        {
            var cut = Pieces.Random(min, min + extra, seed).Cut(length);
            Assert.Equal(length, cut.Sum());
            Assert.All(cut, s => Assert.InRange(s, 1, min + extra));
        }, iter: 300);
    }

    [Fact]
    public void RandomPerConnection_EachStreamItsOwnCut_SameSeedSameCuts()
    {
        var first = Pieces.RandomPerConnection(1, 16, seed: 2);
        var again = Pieces.RandomPerConnection(1, 16, seed: 2);
        var streams = Enumerable.Range(0, 6).Select(_ => first.Take(20)).ToArray();

        Assert.All(streams, sizes => Assert.All(sizes, s => Assert.InRange(s, 1, 16)));
        Assert.True(streams.Select(sizes => string.Join(",", sizes)).Distinct().Count() > 1);
        Assert.All(streams, sizes => Assert.Equal(sizes, again.Take(20)));
    }

    [Fact]
    public void Whole_NeverCuts()
    {
        Assert.Equal([100_000], Pieces.Whole.Cut(100_000));
    }

    [Fact]
    public void Factories_BadSizes_Throw()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Pieces.Fixed(0));
        Assert.Throws<ArgumentException>(() => Pieces.Sequence());
        Assert.Throws<ArgumentException>(() => Pieces.Sequence(2, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => Pieces.Random(5, 4, seed: 1));
    }
}
