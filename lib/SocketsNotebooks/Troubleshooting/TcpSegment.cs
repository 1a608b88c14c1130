namespace SocketsNotebooks.Troubleshooting;

/// <summary>One TCP segment of a capture, as Wireshark's packet list shows it.</summary>
/// <param name="No">Its number in the capture, from 1.</param>
/// <param name="TimeMs">Milliseconds since the capture's first frame.</param>
/// <param name="Source">Who sent it, <c>address:port</c>.</param>
/// <param name="Destination">Who it was for.</param>
/// <param name="Flags">The flags that are set, e.g. <c>SYN, ACK</c> or <c>PSH, ACK</c>.</param>
/// <param name="Seq">The sender's sequence number, counted from its SYN (which is 0), as Wireshark's "relative" numbers.</param>
/// <param name="Ack">The next byte the sender expects from the other side, counted the same way; 0 without the ACK flag.</param>
/// <param name="Window">How many more bytes the sender can receive right now (its window field, scaled).</param>
/// <param name="Length">Payload bytes carried.</param>
/// <param name="Payload">The payload, written the way Python prints bytes.</param>
public sealed record TcpSegment(int No, double TimeMs, string Source, string Destination, string Flags, long Seq, long Ack, long Window,
    int Length, string Payload)
{
    /// <summary>One line in the manner of <c>tcpdump</c>: <c>127.0.0.1:56696 → 127.0.0.1:65432 [PSH, ACK] seq 1 ack 1 win 65536 len 12</c>.</summary>
    public override string ToString() => $"{Source} → {Destination} [{Flags}] seq {Seq} ack {Ack} win {Window} len {Length}";
}
