namespace SocketsNotebooks.AppProtocol;

/// <summary>
/// How the bytes of one feed (typically one <c>recv()</c>) fell into the parts of messages:
/// a stacked bar of the anatomy chart.
/// </summary>
/// <param name="ProtoHeader">Bytes that belonged to a 2-byte proto header.</param>
/// <param name="JsonHeader">Bytes that belonged to a JSON header.</param>
/// <param name="Content">Bytes that belonged to content.</param>
/// <param name="Messages">How many messages these bytes completed.</param>
public readonly record struct MessageParts(int ProtoHeader, int JsonHeader, int Content, int Messages)
{
    /// <summary>All bytes counted.</summary>
    public int Total => ProtoHeader + JsonHeader + Content;

    /// <summary>The sum of two counts.</summary>
    public static MessageParts operator +(MessageParts a, MessageParts b) =>
        new(a.ProtoHeader + b.ProtoHeader, a.JsonHeader + b.JsonHeader, a.Content + b.Content, a.Messages + b.Messages);

    /// <summary>Same as the + operator (for languages without operators).</summary>
    public static MessageParts Add(MessageParts left, MessageParts right) => left + right;
}
