namespace SocketsNotebooks.Inside;

/// <summary>
/// A capture that comes with the course (lib/SocketsNotebooks/Inside/Recordings/), recorded by the same code
/// that captures live, for readers whose kernel may not capture. Where, when and on which kernel it was made
/// is part of it, so the notebook can say so.
/// </summary>
/// <param name="Name">The file's name without <c>.pcap</c>.</param>
/// <param name="Recorded">The day it was recorded (UTC).</param>
/// <param name="Kernel">The Linux kernel it was recorded on (<c>uname -r</c>).</param>
/// <param name="Remarks">What was checked at recording time beyond the segments (e.g. the socket table's TIME_WAIT row).</param>
public sealed record Recording(string Name, string Recorded, string Kernel, IReadOnlyList<string> Remarks)
{
    /// <summary>The repository path of the file.</summary>
    public string Path => $"lib/SocketsNotebooks/Inside/Recordings/{Name}.pcap";

    /// <summary>The file's bytes, embedded in the library.</summary>
    public byte[] Bytes()
    {
        using var stream = typeof(Recording).Assembly.GetManifestResourceStream($"SocketsNotebooks.Inside.Recordings.{Name}.pcap")
            ?? throw new InvalidOperationException($"The recording {Name}.pcap is missing from the library.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    /// <summary>Its ladder.</summary>
    public Ladder Ladder() => Inside.Ladder.From(PcapFile.Parse(Bytes()));

    /// <summary>How the notebook names it: <c>recorded on 2026-12-07, Linux 6.18.44</c>.</summary>
    public string Source => $"recorded on {Recorded}, Linux {Kernel}";
}
