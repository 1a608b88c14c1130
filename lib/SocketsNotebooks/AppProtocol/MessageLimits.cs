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
    private readonly TimeSpan _headerTimeout = TimeSpan.FromSeconds(10);
    private readonly int _minDataRate = 240;
    private readonly TimeSpan _minDataRateGrace = TimeSpan.FromSeconds(5);

    /// <summary>The defaults: 1 MiB of content, a 4 KiB JSON header, 30 s idle time, 10 s for the header, 240 bytes/s after 5 s.</summary>
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

    /// <summary>
    /// How long a server waits for a request's headers (the 2-byte proto header and the JSON header),
    /// counted from the connection's start (default 10 s). The idle timeout restarts with every byte,
    /// so a peer that sends one byte now and then would hold a connection for ever without this
    /// (Kestrel's <c>RequestHeadersTimeout</c>). Used by the server, not by the pure decoder.
    /// </summary>
    public TimeSpan HeaderTimeout
    {
        get => _headerTimeout;
        init => _headerTimeout = value > TimeSpan.Zero
            ? value
            : throw new ArgumentOutOfRangeException(nameof(HeaderTimeout), value, "must be positive");
    }

    /// <summary>
    /// The slowest a request may arrive once <see cref="MinDataRateGrace"/> has passed, in bytes per
    /// second over the whole request so far (default 240, Kestrel's <c>MinRequestBodyDataRate</c>):
    /// a 1 MiB request trickled at 1 byte/s would otherwise hold its connection for 12 days. 0 turns it off.
    /// </summary>
    public int MinDataRate
    {
        get => _minDataRate;
        init => _minDataRate = value >= 0
            ? value
            : throw new ArgumentOutOfRangeException(nameof(MinDataRate), value, "must not be negative");
    }

    /// <summary>How long a request may take before <see cref="MinDataRate"/> is checked (default 5 s): a slow start is not a slow peer.</summary>
    public TimeSpan MinDataRateGrace
    {
        get => _minDataRateGrace;
        init => _minDataRateGrace = value >= TimeSpan.Zero
            ? value
            : throw new ArgumentOutOfRangeException(nameof(MinDataRateGrace), value, "must not be negative");
    }
}
