using System.Net;

namespace SocketsNotebooks.AppProtocol;

/// <summary>Settings of an <see cref="AppServer"/>; the defaults suit a notebook.</summary>
public sealed record AppServerOptions
{
    /// <summary>Where to listen (default 127.0.0.1, port 0 = a free port chosen by the OS).</summary>
    public IPEndPoint EndPoint { get; init; } = new(IPAddress.Loopback, 0);

    /// <summary>The protocol's limits: content and header size, idle timeout.</summary>
    public MessageLimits Limits { get; init; } = MessageLimits.Default;

    /// <summary>The application that answers requests (default: the tutorial's search app).</summary>
    public SearchApp? App { get; init; }

    /// <summary>The <c>recv()</c> buffer size (the tutorial's 4096).</summary>
    public int ReceiveSize { get; init; } = 4096;

    /// <summary>The listen backlog (many clients may connect at once in a benchmark).</summary>
    public int Backlog { get; init; } = 1024;

    /// <summary>
    /// The most connections held at once; one more is accepted and closed at once (<c>CloseReason.Overloaded</c>).
    /// Null (the default): the process's descriptor limit (<c>ulimit -n</c>) less a reserve the runtime
    /// needs, less what is open when the server starts; a smaller number here wins. See <c>SelectorServer.MaxConnections</c>.
    /// </summary>
    public int? MaxConnections { get; init; }

    /// <summary>
    /// How many closed connections <see cref="AppServer.Closed"/> remembers: the newest ones are kept, older
    /// ones forgotten, so a server that runs for hours (the CLI, a benchmark) stays the same size.
    /// 1,000 is far more than a notebook makes; 0 keeps none.
    /// </summary>
    public int MaxClosedRecords { get; init; } = 1000;

    /// <summary>Receives the tutorial's log lines (<c>Accepted connection from ...</c>); the CLI prints them.</summary>
    public Action<string>? Log { get; init; }

    /// <summary>The clock its deadlines are measured on (null = the system's); a test passes a fake one and moves it by hand.</summary>
    public TimeProvider? TimeProvider { get; init; }

    /// <summary>
    /// The cap on request content held in memory for all connections together (default 64 MiB, about
    /// 64 requests of the largest size at once). It counts the content buffers that exist, which grow
    /// with the bytes that arrive, not the lengths headers announce, so announcing 1 MiB and sending
    /// little holds little. A request whose arrived bytes would pass it is refused before a buffer for
    /// them is allocated (<see cref="ProtocolError.ServerBusy"/>, closed as <c>CloseReason.Overloaded</c>).
    /// </summary>
    public long MaxBufferedBytes { get; init; } = 64L * 1024 * 1024;
}
