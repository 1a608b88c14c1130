using System.Buffers;

namespace SocketsNotebooks.AppProtocol;

/// <summary>
/// The content buffers of every connection a server has, under one cap. A message's content buffer is
/// taken from a shared pool as its bytes arrive (it grows with them, never past the announced length),
/// and given back when the connection is done, so a burst of large requests reuses the same arrays and
/// memory falls back afterwards. The cap counts what is held, not what headers announce: 64 peers that
/// announce 1 MiB each and send ten bytes hold a few KiB, so they cannot lock everyone else out
/// (issue 10). Bytes that would take the total past <see cref="MaxBufferedBytes"/> are refused before a
/// buffer for them is allocated (<see cref="ProtocolError.ServerBusy"/>). Without a cap, 800 connections
/// sending 1 MiB each cost 800 MiB.
/// </summary>
/// <remarks>
/// A growing buffer is copied into a new one, and both exist for that moment, so both are counted: a
/// buffer holds at most twice the bytes that arrived (or 16 KiB), and one request larger than about
/// two thirds of the cap cannot be held even alone. The server's default (64 MiB against 1 MiB
/// requests) is far from that.
/// </remarks>
public sealed class ContentBuffers
{
    private long _buffered;

    /// <summary>Buffers under a cap of <paramref name="maxBufferedBytes"/> bytes in all.</summary>
    public ContentBuffers(long maxBufferedBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxBufferedBytes);
        MaxBufferedBytes = maxBufferedBytes;
    }

    /// <summary>The cap: content buffer bytes held for all connections together.</summary>
    public long MaxBufferedBytes { get; }

    /// <summary>Content buffer bytes held right now (a growing buffer counts its old and new size while it copies).</summary>
    public long Buffered => Interlocked.Read(ref _buffered);

    // Reserves length bytes under the cap first and only then rents, so the total held never passes
    // the cap, not even for a moment; false (nothing reserved, nothing allocated) if it would.
    internal bool TryRent(int length, out byte[] array)
    {
        long after = Interlocked.Add(ref _buffered, length);
        if (after > MaxBufferedBytes)
        {
            Interlocked.Add(ref _buffered, -length);
            array = [];
            return false;
        }
        array = ArrayPool<byte>.Shared.Rent(length);
        return true;
    }

    internal void Return(byte[] array, int length)
    {
        Interlocked.Add(ref _buffered, -length);
        ArrayPool<byte>.Shared.Return(array);
    }
}
