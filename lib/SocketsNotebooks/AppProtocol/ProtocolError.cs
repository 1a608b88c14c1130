namespace SocketsNotebooks.AppProtocol;

/// <summary>
/// Why a message (or the connection carrying it) was refused. Each value names one rule of the
/// wire format or one limit, so a trace or a test can say exactly what went wrong.
/// </summary>
public enum ProtocolError
{
    /// <summary>The 2-byte proto header announced a JSON header longer than <see cref="MessageLimits.MaxHeaderLength"/>.</summary>
    HeaderTooLong,
    /// <summary>The JSON header was not UTF-8 JSON, or not a JSON object.</summary>
    InvalidJson,
    /// <summary>One of the four required keys (<c>byteorder</c>, <c>content-type</c>, <c>content-encoding</c>, <c>content-length</c>) is missing.</summary>
    MissingKey,
    /// <summary>
    /// A key appears twice in one JSON object: a required key of the header, or any key of JSON content
    /// (Python would silently keep the last; we refuse the ambiguity).
    /// </summary>
    RepeatedKey,
    /// <summary>A header value has the wrong type or an unknown value (e.g. <c>byteorder</c> other than little/big).</summary>
    InvalidValue,
    /// <summary><c>content-length</c> is negative, fractional or not a number.</summary>
    InvalidContentLength,
    /// <summary><c>content-encoding</c> is neither <c>utf-8</c> nor <c>binary</c>.</summary>
    UnknownEncoding,
    /// <summary><c>content-length</c> is larger than <see cref="MessageLimits.MaxContentLength"/>.</summary>
    ContentTooLong,
    /// <summary>The content does not match its header (e.g. <c>text/json</c> that is not a JSON object).</summary>
    InvalidContent,
    /// <summary>The peer closed the connection in the middle of a message.</summary>
    Truncated,
    /// <summary>The peer sent nothing for longer than <see cref="MessageLimits.IdleTimeout"/> while a message was due.</summary>
    IdleTimeout,
    /// <summary>The request's headers were not complete within <see cref="MessageLimits.HeaderTimeout"/> of the connection's start.</summary>
    HeaderTimeout,
    /// <summary>After <see cref="MessageLimits.MinDataRateGrace"/>, the request arrived slower than <see cref="MessageLimits.MinDataRate"/> bytes a second.</summary>
    DataRateTooLow,
    /// <summary>
    /// Not the peer's fault: holding the content bytes that have arrived would pass the server's cap
    /// on bytes buffered across all connections (<see cref="AppServerOptions.MaxBufferedBytes"/>); the
    /// connection is closed with <c>CloseReason.Overloaded</c> before a buffer for them is allocated.
    /// </summary>
    ServerBusy,
    /// <summary>
    /// A JSON string escapes half of a surrogate pair (<c>"\ud800"</c> alone): valid JSON syntax, but no
    /// text, so it cannot be read as a string (Python would carry it until encoding fails).
    /// </summary>
    LoneSurrogate,
}
