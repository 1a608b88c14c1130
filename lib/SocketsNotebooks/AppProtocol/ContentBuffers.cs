using System.Buffers;
using System.Globalization;

namespace SocketsNotebooks.AppProtocol;

/// <summary>
/// The content buffers of every connection a server has, under one cap. A message's content is taken
/// from a shared pool the moment its header says how long it is, and given back when the connection
/// is done, so a burst of large requests reuses the same arrays and memory falls back afterwards;
/// a request whose content would pass <see cref="MaxBufferedBytes"/> is refused before a byte of it is
/// allocated (<see cref="ProtocolError.ServerBusy"/>). Without a cap, 800 connections announcing 1 MiB
/// each cost 800 MiB.
/// </summary>
public sealed class ContentBuffers
{
    private long _buffered;

    /// <summary>Buffers under a cap of <paramref name="maxBufferedBytes"/> bytes in all.</summary>
    public ContentBuffers(long maxBufferedBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxBufferedBytes);
        MaxBufferedBytes = maxBufferedBytes;
    }

    /// <summary>The cap: content bytes held for all connections together.</summary>
    public long MaxBufferedBytes { get; }

    /// <summary>Content bytes held right now.</summary>
    public long Buffered => Interlocked.Read(ref _buffered);

    internal byte[] Rent(int length)
    {
        long after = Interlocked.Add(ref _buffered, length);
        if (after > MaxBufferedBytes)
        {
            Interlocked.Add(ref _buffered, -length);
            throw new ProtocolException(ProtocolError.ServerBusy, string.Create(CultureInfo.InvariantCulture,
                $"content-length {length:N0} would take the bytes buffered for all connections past MaxBufferedBytes = {MaxBufferedBytes:N0} ({after - length:N0} in use); refused before allocating."));
        }
        return ArrayPool<byte>.Shared.Rent(length);
    }

    internal void Return(byte[] array, int length)
    {
        Interlocked.Add(ref _buffered, -length);
        ArrayPool<byte>.Shared.Return(array);
    }
}
