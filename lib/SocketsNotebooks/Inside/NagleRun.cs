namespace SocketsNotebooks.Inside;

/// <summary>The requests of <see cref="NagleExperiment.Run"/>, both settings.</summary>
/// <param name="Samples">Every request, NoDelay off first.</param>
/// <param name="RequestSize">Bytes per request (sent in two halves).</param>
/// <param name="ReplySize">Bytes per reply.</param>
public sealed record NagleRun(IReadOnlyList<NagleSample> Samples, int RequestSize, int ReplySize)
{
    /// <summary>The median request time for one setting, in milliseconds.</summary>
    public double Median(bool noDelay)
    {
        var times = Samples.Where(s => s.NoDelay == noDelay).Select(s => s.Ms).Order().ToArray();
        return times.Length == 0 ? double.NaN
            : times.Length % 2 == 1 ? times[times.Length / 2] : (times[times.Length / 2 - 1] + times[times.Length / 2]) / 2;
    }

    /// <summary>How many requests of one setting took longer than <paramref name="ms"/> milliseconds.</summary>
    public int SlowerThan(bool noDelay, double ms) => Samples.Count(s => s.NoDelay == noDelay && s.Ms > ms);

    /// <summary>How many requests each setting made.</summary>
    public int Requests(bool noDelay) => Samples.Count(s => s.NoDelay == noDelay);

    /// <summary>Both medians and the slow counts in one line.</summary>
    public override string ToString() =>
        $"NoDelay off: median {Median(false):0.###} ms, {SlowerThan(false, 30)} of {Requests(false)} over 30 ms; " +
        $"NoDelay on: median {Median(true):0.###} ms, {SlowerThan(true, 30)} of {Requests(true)} over 30 ms";
}
