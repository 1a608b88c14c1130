using SocketsNotebooks.Tracing;

namespace SocketsNotebooks.MultiConn;

/// <summary>Settings of a <see cref="MultiConnClient"/> run; every one has a default that suits a notebook.</summary>
public sealed record MultiConnClientOptions
{
    /// <summary>The tutorial's registration: <c>Read | Write</c> for the whole life of a connection (it spins once all is sent).</summary>
    public bool Naive { get; init; }

    /// <summary>The buffer size of each <c>recv()</c> (the tutorial's 1024).</summary>
    public int ReceiveSize { get; init; } = 1024;

    /// <summary>The longest one <c>Select</c> waits (the tutorial's client uses <c>timeout=1</c>).</summary>
    public TimeSpan SelectTimeout { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The whole run's limit: connections not finished by then are closed as <see cref="CloseReason.TimedOut"/>.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Set TCP_NODELAY on each connection, so small messages are not held back to be glued together (Nagle).</summary>
    public bool NoDelay { get; init; }

    /// <summary>
    /// Called with a line for each step, in the words of the tutorial's prints ("Starting connection 1 to ...",
    /// "Sending ...", "Received ...", "Closing connection 1"). Runs on the loop's thread.
    /// </summary>
    public Action<string>? Log { get; init; }
}
