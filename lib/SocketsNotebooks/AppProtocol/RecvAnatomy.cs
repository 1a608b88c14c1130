using SocketsNotebooks.Tracing;

namespace SocketsNotebooks.AppProtocol;

/// <summary>
/// One <c>recv()</c> seen through the decoder: how many of its bytes were proto header, JSON
/// header and content. A list of these is the message-anatomy chart and shows as a table.
/// </summary>
/// <param name="Conn">Connection id (as in the trace).</param>
/// <param name="Side">Which end received.</param>
/// <param name="Recv">The number of this <c>recv()</c> on its connection, from 1.</param>
/// <param name="ProtoHeader">Bytes of the 2-byte proto header it delivered.</param>
/// <param name="JsonHeader">Bytes of the JSON header it delivered.</param>
/// <param name="Content">Bytes of content it delivered.</param>
/// <param name="Complete">Whether this <c>recv()</c> completed a message.</param>
/// <param name="Waiting">What the decoder waited for afterwards, e.g. <c>JsonHeader: 48 of 103 bytes</c>.</param>
public sealed record RecvAnatomy(int Conn, Side Side, int Recv, int ProtoHeader, int JsonHeader, int Content, bool Complete, string Waiting)
{
    /// <summary>All bytes of this <c>recv()</c>.</summary>
    public int Bytes => ProtoHeader + JsonHeader + Content;

    /// <inheritdoc/>
    public override string ToString() =>
        $"recv #{Recv} on conn {Conn}: {Bytes} bytes = {ProtoHeader} proto header + {JsonHeader} JSON header + {Content} content{(Complete ? ", message complete" : "")}; then waiting for {Waiting}";

    /// <summary>Runs <paramref name="stream"/> through a fresh decoder in pieces of the given sizes: the anatomy without a socket.</summary>
    public static IReadOnlyList<RecvAnatomy> Of(byte[] stream, IEnumerable<int> pieceSizes, MessageLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(pieceSizes);
        var decoder = new MessageDecoder(limits);
        var rows = new List<RecvAnatomy>();
        int offset = 0;
        using var sizes = pieceSizes.GetEnumerator();
        while (offset < stream.Length)
        {
            int size = sizes.MoveNext() ? Math.Clamp(sizes.Current, 1, stream.Length - offset) : stream.Length - offset;
            var parts = decoder.Feed(stream.AsSpan(offset, size));
            offset += size;
            rows.Add(From(0, Side.Server, rows.Count + 1, parts, decoder));
        }
        return rows;
    }

    internal static RecvAnatomy From(int conn, Side side, int recv, MessageParts parts, MessageDecoder decoder) =>
        new(conn, side, recv, parts.ProtoHeader, parts.JsonHeader, parts.Content, parts.Messages > 0,
            decoder.IsMidMessage ? decoder.ToString() : "next message");
}
