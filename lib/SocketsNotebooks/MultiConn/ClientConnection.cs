using SocketsNotebooks.Selectors;
using SocketsNotebooks.Tracing;

namespace SocketsNotebooks.MultiConn;

/// <summary>
/// The client's per-connection state, the tutorial's
/// <c>types.SimpleNamespace(connid=..., msg_total=..., recv_total=0, messages=[...], outb=b"")</c>.
/// </summary>
internal sealed class ClientConnection(int connId, TracedSocket socket, IReadOnlyList<byte[]> messages, double startedMs)
{
    public int ConnId { get; } = connId;

    public TracedSocket Socket { get; } = socket;

    public Queue<byte[]> Messages { get; } = new(messages);

    public OutBuffer Outb { get; } = new();

    public byte[] Expected { get; } = messages.SelectMany(m => m).ToArray();

    public int MsgTotal => Expected.Length;

    public int SentTotal { get; set; }

    /// <summary>Everything that came back, to compare with <see cref="Expected"/>.</summary>
    public MemoryStream Received { get; } = new();

    public int RecvTotal => (int)Received.Length;

    public int Recvs { get; set; }

    /// <summary>The non-blocking connect has not reported back yet.</summary>
    public bool Connecting { get; set; } = true;

    public double StartedMs { get; } = startedMs;

    public bool HasMoreToSend => Outb.Length > 0 || Messages.Count > 0;

    public ClientConnectionResult Result(CloseReason reason, double nowMs) => new(
        ConnId,
        Socket.Conn,
        SentTotal,
        RecvTotal,
        Recvs,
        RecvTotal == MsgTotal && Received.GetBuffer().AsSpan(0, RecvTotal).SequenceEqual(Expected),
        reason,
        Math.Round(nowMs - StartedMs, 3));
}
