namespace SocketsNotebooks.Inside;

/// <summary>One reading of <c>TCP_INFO</c> by a <see cref="TcpInfoSampler"/>.</summary>
/// <param name="TimeMs">Milliseconds since the sampler started.</param>
/// <param name="Info">What the kernel reported then.</param>
public sealed record TcpInfoSample(double TimeMs, TcpInfo Info);
