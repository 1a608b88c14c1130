namespace SocketsNotebooks.Inside;

/// <summary>
/// The captures that come with the course, made by <see cref="LadderDemos"/> and <see cref="LossDemo"/> on a
/// machine where capture was allowed (their .pcap files are in lib/SocketsNotebooks/Inside/Recordings/, embedded
/// in the library). To record them again: <c>sockets record-inside &lt;folder&gt;</c> as root... see
/// Recordings/README.md.
/// </summary>
public static class Recordings
{
    private const string Day = "2026-12-07";
    private const string Kernel = "6.18.44-fc-v1300";

    /// <summary><see cref="LadderDemos.EchoAsync"/>.</summary>
    public static Recording Echo { get; } = new("echo", Day, Kernel, []);

    /// <summary><see cref="LadderDemos.ResetAsync"/>.</summary>
    public static Recording Reset { get; } = new("reset", Day, Kernel, []);

    /// <summary><see cref="LossDemo.RunAsync"/>: the capture (headers only); its first remark names the loss rule.</summary>
    public static Recording Loss { get; } = new("loss", Day, Kernel, ["nftables: drop 1% of TCP segments (not SYNs) as they arrive"]);

    /// <summary>The client's TCP_INFO samples of <see cref="Loss"/>, as <see cref="TcpInfoCsv"/> text.</summary>
    public static byte[] LossTcpInfo()
    {
        using var stream = typeof(Recordings).Assembly.GetManifestResourceStream("SocketsNotebooks.Inside.Recordings.loss-tcpinfo.csv")
            ?? throw new InvalidOperationException("The recording loss-tcpinfo.csv is missing from the library.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    /// <summary><see cref="LadderDemos.ZeroWindowAsync"/>.</summary>
    public static Recording ZeroWindow { get; } = new("zero-window", Day, Kernel, []);
}
