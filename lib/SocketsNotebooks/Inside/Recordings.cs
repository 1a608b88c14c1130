namespace SocketsNotebooks.Inside;

/// <summary>
/// The captures that come with the course, made by <see cref="LadderDemos"/> and <see cref="LossDemo"/> on a
/// machine where capture was allowed (their .pcap files are in lib/SocketsNotebooks/Inside/Recordings/, embedded
/// in the library). Recordings/README.md says how to record them again.
/// </summary>
public static class Recordings
{
    private const string Day = "2026-12-07";
    private const string Kernel = "6.18.44-fc-v1300";

    /// <summary><see cref="LadderDemos.EchoAsync"/>.</summary>
    public static Recording Echo { get; } = new("echo", Day, Kernel,
        ["socket table right after: 127.0.0.1:36672 → 127.0.0.1:44969 TIME_WAIT (the client's socket)"]);

    /// <summary><see cref="LadderDemos.ResetAsync"/>.</summary>
    public static Recording Reset { get; } = new("reset", Day, Kernel,
        ["the client's recv() then failed: ConnectionReset ↔ ECONNRESET (104) ↔ ConnectionResetError"]);

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
    public static Recording ZeroWindow { get; } = new("zero-window", Day, Kernel,
        ["the client's send() calls took 22,000 bytes before WouldBlock"]);
}
