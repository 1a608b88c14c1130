using System.Globalization;
using System.Net.Sockets;
using SocketsNotebooks.Tracing;

namespace SocketsNotebooks.Selectors;

/// <summary>
/// What a <see cref="SelectorServer"/> does when <c>accept()</c> fails, so the loop neither spins nor
/// floods its log: a spare descriptor held back for the moment the process runs out (libev's and
/// nginx's trick: close it, accept the waiting connection, close that, take the spare again), a short
/// rest for the listener, and one log line a second that counts the failures. In front of all that,
/// the server's cap on connections (<see cref="DescriptorBudget"/>): a connection past it is accepted
/// and closed at once, counted here and logged at most once a second too.
/// </summary>
internal sealed class AcceptGuard(TimeProvider time) : IDisposable
{
    /// <summary>How long the listener rests after a failed <c>accept()</c>.</summary>
    public static readonly TimeSpan Backoff = TimeSpan.FromMilliseconds(100);

    /// <summary>The detail of a connection closed as soon as it was accepted.</summary>
    public const string ShedDetail = "out of file descriptors (EMFILE), closed as soon as it was accepted";

    private static readonly TimeSpan s_logEvery = TimeSpan.FromSeconds(1);

    private Socket? _spare;
    private long _pausedAt;
    private long? _loggedAt;
    private int _failures;
    private int _shed;
    private long? _limitLoggedAt;
    private int _refused;

    /// <summary>Whether the listener is resting (unregistered from the selector).</summary>
    public bool IsPaused { get; private set; }

    /// <summary>Holds one descriptor back (a UDP socket: cheap, and on every OS). Fails quietly if there is none to hold.</summary>
    public void TakeSpare()
    {
        if (_spare is not null)
        {
            return;
        }
        try
        {
            _spare = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        }
        catch (SocketException)
        {
            // Still no descriptor free: the next failed accept() tries again.
        }
    }

    /// <summary>
    /// Out of descriptors: lets go of the spare, accepts one waiting connection with it and closes
    /// that at once, then takes the spare back. Returns the closed connection's peer as the tutorial
    /// prints it, or null when there was none to close.
    /// </summary>
    public string? ShedOne(Func<TracedSocket> accept)
    {
        if (_spare is null)
        {
            TakeSpare();
            return null;
        }
        _spare.Dispose();
        _spare = null;
        try
        {
            var waiting = accept();
            // Read before closing: a closed socket no longer says who its peer was.
            string peer = PythonRepr.Address(waiting.RemoteEndPoint);
            waiting.Close(CloseReason.Overloaded, ShedDetail);
            _shed++;
            return peer;
        }
        catch (SocketException)
        {
            // Nobody waiting after all, or another thread took the descriptor: nothing to close.
            return null;
        }
        finally
        {
            TakeSpare();
        }
    }

    /// <summary>
    /// Starts the listener's rest after a failed <c>accept()</c>. Returns the line to log, at most one
    /// a second, or null.
    /// </summary>
    public string? Pause(SocketError error)
    {
        IsPaused = true;
        _pausedAt = time.GetTimestamp();
        _failures++;
        if (!LogDue(ref _loggedAt, _pausedAt))
        {
            return null;
        }
        string line = string.Create(CultureInfo.InvariantCulture,
            $"accept() failed: {error}, {_failures} time(s) since the last line; {_shed} waiting connection(s) closed at once; accepting again every {Backoff.TotalSeconds:0.#} s");
        _failures = 0;
        _shed = 0;
        return line;
    }

    /// <summary>The detail of a connection closed as soon as it was accepted because the server holds <paramref name="maxConnections"/> already.</summary>
    public static string LimitDetail(int maxConnections) => string.Create(CultureInfo.InvariantCulture,
        $"at the connection limit: {maxConnections} connections, descriptors kept in reserve for the runtime");

    /// <summary>
    /// Counts a connection from <paramref name="peer"/> closed at the connection limit. Returns the
    /// line to log, at most one a second, or null: a client that reconnects at once, again and again,
    /// must not turn into a log line each time.
    /// </summary>
    public string? Refused(int maxConnections, string peer)
    {
        _refused++;
        if (!LogDue(ref _limitLoggedAt, time.GetTimestamp()))
        {
            return null;
        }
        string line = string.Create(CultureInfo.InvariantCulture,
            $"Closing connection to {peer} ({nameof(CloseReason.Overloaded)}: {LimitDetail(maxConnections)}); {_refused} connection(s) closed at the limit since the last line");
        _refused = 0;
        return line;
    }

    /// <summary>Ends the rest once <see cref="Backoff"/> has passed; true when the listener should be registered again.</summary>
    public bool ResumeIfDue()
    {
        if (!IsPaused || time.GetElapsedTime(_pausedAt) < Backoff)
        {
            return false;
        }
        IsPaused = false;
        return true;
    }

    /// <summary>The select timeout while resting: no longer than the rest itself, so the loop notices when it ends.</summary>
    public TimeSpan Shorter(TimeSpan? timeout) => timeout is { } t && t < Backoff ? t : Backoff;

    // True (and the time noted) when a line of this kind was last logged a second or more ago, or never.
    private bool LogDue(ref long? loggedAt, long now)
    {
        if (loggedAt is { } last && time.GetElapsedTime(last, now) < s_logEvery)
        {
            return false;
        }
        loggedAt = now;
        return true;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _spare?.Dispose();
        _spare = null;
    }
}
