using PacketDotNet;

namespace SocketsNotebooks.Inside;

/// <summary>One frame as a capture holds it: when it passed, the bytes kept, and how long it really was.</summary>
/// <param name="Seconds">Seconds and microseconds since 1970 (the capture's clock).</param>
/// <param name="Link">What the frame starts with: Ethernet on Linux's lo and eth0.</param>
/// <param name="Data">The bytes captured (all of them unless the snap length cut the frame).</param>
/// <param name="OriginalLength">The frame's length on the wire.</param>
internal sealed record CapturedFrame(decimal Seconds, LinkLayers Link, byte[] Data, int OriginalLength);
