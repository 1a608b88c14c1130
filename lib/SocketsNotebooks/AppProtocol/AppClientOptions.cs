using SocketsNotebooks.Tracing;

namespace SocketsNotebooks.AppProtocol;

/// <summary>Settings of an <see cref="AppClient"/> run; the defaults suit a notebook.</summary>
public sealed record AppClientOptions
{
    /// <summary>The limits the response is held to; <see cref="MessageLimits.IdleTimeout"/> bounds each silent wait.</summary>
    public MessageLimits Limits { get; init; } = MessageLimits.Default;

    /// <summary>The longest one exchange (connect, request, response) may take; after that it ends as <see cref="CloseReason.TimedOut"/>.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The <c>recv()</c> buffer size (the tutorial's 4096).</summary>
    public int ReceiveSize { get; init; } = 4096;

    /// <summary>Receives the tutorial's log lines (<c>Sending b'...'</c>, <c>Got result: ...</c>); the CLI prints them.</summary>
    public Action<string>? Log { get; init; }
}
