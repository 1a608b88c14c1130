namespace SocketsNotebooks.Network;

/// <summary>
/// How the <see cref="Relay"/> cuts a byte stream: the sizes of the pieces it sends, one after
/// another. Every connection and direction starts the pattern afresh, so a run is repeatable.
/// </summary>
public sealed class Pieces
{
    private readonly Func<Func<int>> _newCutter;

    private Pieces(string description, Func<Func<int>> newCutter)
    {
        Description = description;
        _newCutter = newCutter;
    }

    /// <summary>What the cut looks like, in words (shown in chart titles and by <see cref="ToString"/>).</summary>
    public string Description { get; }

    /// <summary>Every piece <paramref name="size"/> bytes (the last of a read may be shorter).</summary>
    public static Pieces Fixed(int size)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1, nameof(size));
        return new Pieces($"pieces of {size} byte{(size == 1 ? "" : "s")}", () => () => size);
    }

    /// <summary>Pieces of the given sizes in turn, starting over after the last: <c>Sequence(1, 5)</c> cuts 1, 5, 1, 5, ...</summary>
    public static Pieces Sequence(params int[] sizes)
    {
        ArgumentNullException.ThrowIfNull(sizes);
        if (sizes.Length == 0 || sizes.Any(s => s < 1))
        {
            throw new ArgumentException("Give at least one size, each at least 1 byte.", nameof(sizes));
        }
        int[] copy = [.. sizes];
        return new Pieces($"pieces of {string.Join(", ", copy)} bytes, repeated", () =>
        {
            int next = 0;
            return () => copy[next++ % copy.Length];
        });
    }

    /// <summary>
    /// Pieces of random sizes from <paramref name="min"/> to <paramref name="max"/> bytes (both included).
    /// The same <paramref name="seed"/> gives the same sizes, so a surprising run can be replayed.
    /// </summary>
    public static Pieces Random(int min, int max, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(min, 1, nameof(min));
        ArgumentOutOfRangeException.ThrowIfLessThan(max, min, nameof(max));
        return new Pieces($"random pieces of {min} to {max} bytes (seed {seed})", () =>
        {
            var random = new System.Random(seed);
            return () => random.Next(min, max + 1);
        });
    }

    /// <summary>
    /// Like <see cref="Random(int, int, int)"/>, but each connection and direction draws its own
    /// sizes (the n-th stream the relay starts gets the n-th seed drawn from <paramref name="seed"/>),
    /// so N connections carrying the same bytes are cut N different ways - what N clients on a
    /// real network see.
    /// </summary>
    public static Pieces RandomPerConnection(int min, int max, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(min, 1, nameof(min));
        ArgumentOutOfRangeException.ThrowIfLessThan(max, min, nameof(max));
        var seeds = new System.Random(seed);
        return new Pieces($"random pieces of {min} to {max} bytes, different for each connection (seed {seed})", () =>
        {
            int streamSeed;
            lock (seeds)
            {
                streamSeed = seeds.Next();
            }
            var random = new System.Random(streamSeed);
            return () => random.Next(min, max + 1);
        });
    }

    /// <summary>No cutting: each chunk the relay reads goes on in one send (only the delay applies).</summary>
    public static Pieces Whole { get; } = new("whole reads, not cut", () => () => int.MaxValue);

    /// <summary>A fresh source of piece sizes, starting from the beginning of the pattern.</summary>
    public Func<int> NewCutter() => _newCutter();

    /// <summary>The first <paramref name="count"/> piece sizes of a fresh cutter (to show or test the pattern).</summary>
    public IReadOnlyList<int> Take(int count)
    {
        var cut = NewCutter();
        return Enumerable.Range(0, count).Select(_ => cut()).ToArray();
    }

    /// <summary>
    /// The sizes <paramref name="length"/> bytes read in one go are cut into, from a fresh cutter:
    /// what the receiver's <c>recv()</c> calls return when the relay paces each piece.
    /// </summary>
    public IReadOnlyList<int> Cut(int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length, nameof(length));
        var cut = NewCutter();
        List<int> sizes = [];
        while (length > 0)
        {
            int piece = Math.Min(cut(), length);
            sizes.Add(piece);
            length -= piece;
        }
        return sizes;
    }

    /// <inheritdoc/>
    public override string ToString() => Description;
}
