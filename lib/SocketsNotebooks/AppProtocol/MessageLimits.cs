namespace SocketsNotebooks.AppProtocol;

/// <summary>
/// The explicit limits of the application protocol. The tutorial's server trusts whatever
/// <c>content-length</c> a peer announces; ours checks it against <see cref="MaxContentLength"/>
/// before allocating a single byte for the content, and a stalled peer is dropped after
/// <see cref="IdleTimeout"/>.
/// </summary>
public sealed record MessageLimits
{
    private readonly int _maxContentLength = 1024 * 1024;
    private readonly int _maxHeaderLength = 4096;
    private readonly TimeSpan _idleTimeout = TimeSpan.FromSeconds(30);

    /// <summary>The defaults: 1 MiB of content, a 4 KiB JSON header, 30 s idle time.</summary>
    public static MessageLimits Default { get; } = new();

    /// <summary>The largest <c>content-length</c> accepted, in bytes (default 1 MiB).</summary>
    public int MaxContentLength
    {
        get => _maxContentLength;
        init => _maxContentLength = value is >= 0 and <= 0x7FFFFFC7 // Array.MaxLength
            ? value
            : throw new ArgumentOutOfRangeException(nameof(MaxContentLength), value, "must be between 0 and Array.MaxLength");
    }

    /// <summary>
    /// The longest JSON header accepted, in bytes (default 4096). The 2-byte proto header caps it
    /// at 65535 anyway; the tutorial's headers are about 100 bytes.
    /// </summary>
    public int MaxHeaderLength
    {
        get => _maxHeaderLength;
        init => _maxHeaderLength = value is >= 1 and <= ushort.MaxValue
            ? value
            : throw new ArgumentOutOfRangeException(nameof(MaxHeaderLength), value, "must be between 1 and 65535");
    }

    /// <summary>
    /// How long a connection may stay silent while a message is due before it is closed
    /// (default 30 s). Used by the server and client, not by the pure decoder.
    /// </summary>
    public TimeSpan IdleTimeout
    {
        get => _idleTimeout;
        init => _idleTimeout = value > TimeSpan.Zero
            ? value
            : throw new ArgumentOutOfRangeException(nameof(IdleTimeout), value, "must be positive");
    }
}
