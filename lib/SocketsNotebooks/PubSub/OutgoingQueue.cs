namespace SocketsNotebooks.PubSub;

/// <summary>
/// One subscriber's outgoing queue: whole encoded messages waiting for its socket. A published message
/// is encoded once and the same array sits in every matching subscriber's queue, so fan-out to 100
/// subscribers costs 100 references, not 100 copies. <see cref="Gather"/> copies as much as one
/// <c>send()</c> can take into a scratch buffer; <see cref="Consume"/> drops what the kernel took.
/// </summary>
internal sealed class OutgoingQueue
{
    private readonly Queue<(byte[] Bytes, bool IsDelivery)> _entries = new();
    // How much of the head entry was already sent.
    private int _headOffset;

    /// <summary>Messages waiting (a half-sent head counts).</summary>
    public int Count => _entries.Count;

    /// <summary>Bytes waiting.</summary>
    public long Bytes { get; private set; }

    /// <summary>Published messages waiting: what the slow-subscriber limits count (replies to the connection's own commands do not).</summary>
    public int Deliveries { get; private set; }

    /// <summary>Bytes of published messages waiting.</summary>
    public long DeliveryBytes { get; private set; }

    /// <summary>Bytes of replies to the connection's own commands waiting.</summary>
    public long ReplyBytes => Bytes - DeliveryBytes;

    public void Enqueue(byte[] bytes, bool isDelivery)
    {
        _entries.Enqueue((bytes, isDelivery));
        Bytes += bytes.Length;
        if (isDelivery)
        {
            Deliveries++;
            DeliveryBytes += bytes.Length;
        }
    }

    /// <summary>Copies waiting bytes, oldest first, into <paramref name="scratch"/>; returns how many.</summary>
    public int Gather(Span<byte> scratch)
    {
        int filled = 0;
        int offset = _headOffset;
        foreach (var (bytes, _) in _entries)
        {
            int count = Math.Min(bytes.Length - offset, scratch.Length - filled);
            bytes.AsSpan(offset, count).CopyTo(scratch[filled..]);
            filled += count;
            offset = 0;
            if (filled == scratch.Length)
            {
                break;
            }
        }
        return filled;
    }

    /// <summary>Drops everything waiting (the connection is closed): the shared message arrays go with the last queue that holds them.</summary>
    public void Clear()
    {
        _entries.Clear();
        _entries.TrimExcess();
        _headOffset = 0;
        Bytes = 0;
        Deliveries = 0;
        DeliveryBytes = 0;
    }

    /// <summary>Forgets the first <paramref name="sent"/> bytes; returns how many published messages that finished.</summary>
    public int Consume(int sent)
    {
        Bytes -= sent;
        int delivered = 0;
        while (sent > 0)
        {
            var (bytes, isDelivery) = _entries.Peek();
            int left = bytes.Length - _headOffset;
            if (isDelivery)
            {
                DeliveryBytes -= Math.Min(sent, left);
            }
            if (sent < left)
            {
                _headOffset += sent;
                return delivered;
            }
            sent -= left;
            _entries.Dequeue();
            _headOffset = 0;
            if (isDelivery)
            {
                delivered++;
                Deliveries--;
            }
        }
        return delivered;
    }
}
