namespace SocketsNotebooks.Troubleshooting;

/// <summary>One <c>send()</c> on a non-blocking socket while the buffers fill up. A list of these displays as a table.</summary>
/// <param name="Call">1 for the first call.</param>
/// <param name="Asked">Bytes handed to <c>send()</c>.</param>
/// <param name="Accepted">Bytes the OS took into the send buffer: all, some ("partial"), or none (WouldBlock).</param>
/// <param name="Total">Bytes accepted by this and all earlier calls.</param>
/// <param name="Result"><c>ok</c>, <c>partial</c> or <c>WouldBlock</c>.</param>
public sealed record SendAttempt(int Call, int Asked, int Accepted, long Total, string Result);
