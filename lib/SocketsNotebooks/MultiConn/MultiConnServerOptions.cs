using System.Net;
using SocketsNotebooks.Selectors;

namespace SocketsNotebooks.MultiConn;

/// <summary>Settings of a <see cref="MultiConnServer"/>; every one has a default that suits a notebook.</summary>
public sealed record MultiConnServerOptions
{
    /// <summary>Where to listen: 127.0.0.1 and a port the OS picks, unless told otherwise.</summary>
    public IPEndPoint EndPoint { get; init; } = new(IPAddress.Loopback, 0);

    /// <summary>
    /// The tutorial's registration: every connection watched for <c>Read | Write</c> all the time.
    /// A connected socket is almost always writable, so <c>Select</c> returns at once, over and over,
    /// with nothing to send: a busy loop (realpython/materials issue 77). <c>false</c> (the default)
    /// asks for write-readiness only while bytes wait to be sent.
    /// </summary>
    public bool Naive { get; init; }

    /// <summary>
    /// Your own rule for the events mask (the notebook's exercise): given the bytes waiting to be sent
    /// and whether the peer sent its FIN, what should the selector watch this connection for? Null
    /// uses <see cref="MultiConnServer.WriteWhenNeeded"/> (or the naive mask). It is asked after every
    /// wake-up of the connection; it must not return <see cref="SelectorEvents.None"/> for an open connection.
    /// </summary>
    public Func<int, bool, SelectorEvents>? Interest { get; init; }

    /// <summary>
    /// Send the echo in the same wake-up that received it, and ask the selector for <c>Write</c> only
    /// when that <c>send()</c> could not take everything. The tutorial's loop (<c>false</c>, the
    /// default) queues the bytes, asks for <c>Write</c>, and sends on the next wake-up: two wake-ups
    /// (and two changes of the events mask) per request, where this takes one. A connection already
    /// waiting for <c>Write</c> (its send buffer was full) queues as before. Back-pressure
    /// (<see cref="MaxPendingBytes"/>) and the FIN work the same. With an <see cref="Interest"/> rule,
    /// the rule is asked after the send, with what is left; <see cref="Naive"/> asks for <c>Write</c>
    /// all the time, so the two cannot be combined (<see cref="MultiConnServer.Start(Tracing.Trace, MultiConnServerOptions?, string)"/> throws).
    /// </summary>
    public bool SendAtOnce { get; init; }

    /// <summary>
    /// What the loop waits with: <see cref="SelectorKind.Select"/> (<c>Socket.Select</c>, the default)
    /// or <see cref="SelectorKind.Epoll"/> (Linux). The loop's code is the same on both.
    /// </summary>
    public SelectorKind Selector { get; init; } = SelectorKind.Select;

    /// <summary>The buffer size of each <c>recv()</c> (the tutorial's 1024).</summary>
    public int ReceiveSize { get; init; } = 1024;

    /// <summary>
    /// The longest one <c>Select</c> waits. An idle loop wakes this often just to check whether it
    /// was stopped or a connection went idle; null waits until a socket is ready (the tutorial's <c>timeout=None</c>).
    /// </summary>
    public TimeSpan? SelectTimeout { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// Close a connection that moved nothing for this long (default 30 s). Without one, silent
    /// connections pile up until the process runs out of descriptors and nobody else gets in; null
    /// turns it off (the tutorial's behaviour, for a notebook that wants to watch idle connections).
    /// </summary>
    public TimeSpan? IdleTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Stop reading from a connection while this many echoed bytes still wait to go out, so a peer
    /// that sends without reading cannot make the server buffer without end.
    /// </summary>
    public int MaxPendingBytes { get; init; } = 256 * 1024;

    /// <summary>The listen backlog: connections the OS queues before the loop accepts them.</summary>
    public int Backlog { get; init; } = 1024;

    /// <summary>
    /// The most connections held at once; one more is accepted and closed at once (<c>CloseReason.Overloaded</c>).
    /// Null (the default): the process's descriptor limit (<c>ulimit -n</c>) less a reserve the runtime
    /// needs, less what is open when the server starts; a smaller number here wins. See <c>SelectorServer.MaxConnections</c>.
    /// </summary>
    public int? MaxConnections { get; init; }

    /// <summary>
    /// Called with a line for each step, in the words of the tutorial's prints ("Accepted connection
    /// from ...", "Echoing ...", "Closing connection to ..."). Runs on the loop's thread; the CLI prints
    /// these, a notebook leaves it null and reads the trace instead.
    /// </summary>
    public Action<string>? Log { get; init; }

    /// <summary>The clock its deadlines are measured on (null = the system's); a test passes a fake one and moves it by hand.</summary>
    public TimeProvider? TimeProvider { get; init; }
}
