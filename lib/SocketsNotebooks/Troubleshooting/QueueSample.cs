namespace SocketsNotebooks.Troubleshooting;

/// <summary>The two queues of one connection at one moment, while a server drains it.</summary>
/// <param name="TimeMs">Milliseconds since the server started reading.</param>
/// <param name="ServerRecvQ">Bytes waiting in the server's receive buffer (Recv-Q of the server's row).</param>
/// <param name="ClientSendQ">Bytes waiting in the client's send buffer, not yet acknowledged (Send-Q of the client's row).</param>
/// <param name="ServerBytesRead">Bytes the server has read so far.</param>
public sealed record QueueSample(double TimeMs, int ServerRecvQ, int ClientSendQ, long ServerBytesRead);
