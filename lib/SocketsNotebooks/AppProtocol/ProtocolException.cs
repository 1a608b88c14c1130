namespace SocketsNotebooks.AppProtocol;

/// <summary>
/// A peer broke the wire format or a limit. It is the only exception the decoder throws for bad
/// input, so a server can catch exactly this, close that one connection with <see cref="Error"/>
/// as the reason, and keep serving everyone else.
/// </summary>
public sealed class ProtocolException : Exception
{
    /// <summary>A protocol error of kind <paramref name="error"/> with a message that names the rule or limit.</summary>
    public ProtocolException(ProtocolError error, string message)
        : base(message)
    {
        Error = error;
    }

    /// <summary>A protocol error caused by another exception (e.g. the JSON parser's).</summary>
    public ProtocolException(ProtocolError error, string message, Exception innerException)
        : base(message, innerException)
    {
        Error = error;
    }

    /// <summary>Which rule or limit was broken.</summary>
    public ProtocolError Error { get; }

    /// <summary>The short form a trace note uses: <c>InvalidJson: the JSON header is not ...</c>.</summary>
    public string Reason => $"{Error}: {Message}";
}
