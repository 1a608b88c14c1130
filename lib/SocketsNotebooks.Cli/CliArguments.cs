using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace SocketsNotebooks.Cli;

/// <summary>
/// The arguments every notebook's commands share, so <c>host</c> and <c>port</c> mean and check
/// the same thing everywhere, with the tutorial's defaults (127.0.0.1, 65432).
/// </summary>
public static class CliArguments
{
    /// <summary>The tutorial's host: the loopback interface, so only this machine can connect.</summary>
    public const string DefaultHost = "127.0.0.1";

    /// <summary>The tutorial's port: any non-privileged port above 1023 works; 65432 is the one it uses.</summary>
    public const int DefaultPort = 65432;

    /// <summary>An optional <c>host</c> argument (an IP address or a name), default 127.0.0.1.</summary>
    public static Argument<string> Host(string description = "IP address or host name") =>
        new("host") { Description = description, DefaultValueFactory = _ => DefaultHost };

    /// <summary>
    /// An optional <c>port</c> argument, default <paramref name="defaultPort"/> (the tutorial's 65432 unless
    /// told otherwise). Port 0 is allowed: a server then lets the OS pick a free port and prints it (the tests use this).
    /// </summary>
    public static Argument<int> Port(string description = "TCP port, 0-65535", int defaultPort = DefaultPort) =>
        new("port")
        {
            Description = description,
            DefaultValueFactory = _ => defaultPort,
            CustomParser = result => ParsePort(result, defaultPort),
        };

    /// <summary>
    /// A <c>host</c> argument that must be given, for the commands that take their arguments positionally
    /// and all required, like the tutorial's scripts (<c>usage: multiconn-server.py &lt;host&gt; &lt;port&gt;</c>):
    /// a wrong count prints the usage line and exits with 2.
    /// </summary>
    public static Argument<string> RequiredHost(string description = "IP address or host name")
    {
        var host = Host(description);
        host.DefaultValueFactory = null;
        return host;
    }

    /// <summary>A <c>port</c> argument that must be given (see <see cref="RequiredHost"/>), checked like <see cref="Port"/>.</summary>
    public static Argument<int> RequiredPort(string description = "TCP port, 0-65535")
    {
        var port = Port(description);
        port.DefaultValueFactory = null;
        return port;
    }

    /// <summary>
    /// The endpoint for a host and port: a numeric address as is, <c>""</c> as every interface
    /// (0.0.0.0, as in Python's tutorial: <c>bind(("", port))</c>), a name through DNS (IPv4 first, as
    /// the tutorial's AF_INET sockets would). Throws <see cref="SocketException"/> for an unknown name.
    /// </summary>
    public static async Task<IPEndPoint> ResolveAsync(string host, int port, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(host);
        if (host.Length == 0)
        {
            // The resolver would answer with this machine's name and its first address: loopback here
            // only by the resolver's order. Python means INADDR_ANY.
            return new IPEndPoint(IPAddress.Any, port);
        }
        if (IPAddress.TryParse(host, out var address))
        {
            return new IPEndPoint(address, port);
        }
        var addresses = await Dns.GetHostAddressesAsync(host, cancellationToken).ConfigureAwait(false);
        var chosen = addresses.FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork) ?? addresses.FirstOrDefault()
            ?? throw new SocketException((int)SocketError.HostNotFound);
        return new IPEndPoint(chosen, port);
    }

    /// <summary>
    /// The warning a server prints when it listens on every interface (null otherwise): other machines
    /// can connect, which the course's loopback default never allows.
    /// </summary>
    public static string? EveryInterfaceWarning(IPEndPoint endPoint)
    {
        ArgumentNullException.ThrowIfNull(endPoint);
        return endPoint.Address.Equals(IPAddress.Any) || endPoint.Address.Equals(IPAddress.IPv6Any)
            ? $"Warning: listening on every interface ({endPoint.Address}): other machines can connect. Use 127.0.0.1 or localhost to stay on this machine."
            : null;
    }

    /// <summary>
    /// One line that says what went wrong with a socket call, in the terms a learner will search for
    /// (the errno name Python would show), e.g. <c>connection refused: nobody is listening on 127.0.0.1:65432 (ECONNREFUSED)</c>.
    /// </summary>
    public static string Describe(SocketException e, EndPoint? endPoint)
    {
        ArgumentNullException.ThrowIfNull(e);
        return e.SocketErrorCode switch
        {
            SocketError.ConnectionRefused => $"connection refused: nobody is listening on {endPoint} (ECONNREFUSED). Is the server running?",
            SocketError.AddressAlreadyInUse => $"address already in use: another socket is bound to {endPoint} (EADDRINUSE). Stop it, or pick another port.",
            SocketError.AddressNotAvailable => $"cannot bind {endPoint}: that address does not belong to this machine (EADDRNOTAVAIL).",
            SocketError.AccessDenied => $"permission denied for {endPoint} (EACCES): ports below 1024 need privileges.",
            SocketError.TimedOut => $"timed out talking to {endPoint} (ETIMEDOUT).",
            SocketError.ConnectionReset => $"connection reset by peer {endPoint} (ECONNRESET).",
            SocketError.HostNotFound or SocketError.NoData or SocketError.TryAgain => $"unknown host: {e.Message}",
            _ => $"{e.SocketErrorCode} on {endPoint}: {e.Message}",
        };
    }

    /// <summary>Reads a port (0 to 65535) from an argument or option; anything else is a parse error that says what a port is.</summary>
    internal static int ParsePort(ArgumentResult result, int defaultPort)
    {
        if (result.Tokens.Count == 0)
        {
            return defaultPort;
        }
        string text = result.Tokens[0].Value;
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int port) || port > IPEndPoint.MaxPort)
        {
            result.AddError($"port must be a number from 0 to {IPEndPoint.MaxPort}, not '{text}'.");
            return 0;
        }
        return port;
    }
}
