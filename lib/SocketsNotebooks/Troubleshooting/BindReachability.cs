using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using System.Text;

namespace SocketsNotebooks.Troubleshooting;

/// <summary>
/// Which of this machine's addresses reach a server bound to 127.0.0.1, and which reach one bound to
/// 0.0.0.0 (every IPv4 address of the machine). Connecting to an address of one's own machine never leaves
/// it, so the demo sends nothing onto the network; an address that reaches the 0.0.0.0 server is one other
/// machines on that network could use too.
/// </summary>
public static class BindReachability
{
    /// <summary>How long one connect may take; a refused one fails at once.</summary>
    public static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Starts two listeners (127.0.0.1 and 0.0.0.0, each on a port of its own), tries to connect to each from
    /// every IPv4 address of this machine (loopback first), closes everything, and returns one row per address.
    /// </summary>
    public static IReadOnlyList<ReachRow> Run()
    {
        using var loopback = Listen(IPAddress.Loopback);
        using var any = Listen(IPAddress.Any);
        return [.. OwnAddresses().Select(a => new ReachRow(a.Address.ToString(), a.Interface,
            TryConnect(a.Address, Port(loopback)), TryConnect(a.Address, Port(any))))];
    }

    /// <summary>The rows in aligned columns, the listeners' addresses as headings.</summary>
    public static string Format(IEnumerable<ReachRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var all = rows.ToArray();
        int address = Math.Max("connect() to".Length, all.Select(r => r.Address.Length + r.Interface.Length + 3).DefaultIfEmpty().Max());
        var text = new StringBuilder($"{"connect() to".PadRight(address)}  {"server on 127.0.0.1",-20}  server on 0.0.0.0");
        foreach (var row in all)
        {
            text.Append('\n').Append($"{$"{row.Address} ({row.Interface})".PadRight(address)}  {row.LoopbackServer,-20}  {row.AnyServer}");
        }
        return text.ToString();
    }

    /// <summary>Every IPv4 address of an interface that is up, loopback first.</summary>
    public static IReadOnlyList<(IPAddress Address, string Interface)> OwnAddresses() =>
        [.. NetworkInterface.GetAllNetworkInterfaces()
            .Where(n => n.OperationalStatus is OperationalStatus.Up or OperationalStatus.Unknown)
            .SelectMany(n => n.GetIPProperties().UnicastAddresses.Select(u => (u.Address, Interface: n.Name)))
            .Where(a => a.Address.AddressFamily == AddressFamily.InterNetwork)
            .OrderBy(a => IPAddress.IsLoopback(a.Address) ? 0 : 1)];

    private static Socket Listen(IPAddress address)
    {
        var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(address, 0));
        listener.Listen();
        return listener;
    }

    private static int Port(Socket listener) => ((IPEndPoint)listener.LocalEndPoint!).Port;

    /// <summary>
    /// One <c>connect()</c> to <paramref name="address"/>:<paramref name="port"/> on a fresh socket, closed at once:
    /// <c>connected</c>, the <see cref="SocketError"/> name, or that nothing answered within <see cref="ConnectTimeout"/>.
    /// </summary>
    public static string TryConnect(IPAddress address, int port)
    {
        ArgumentNullException.ThrowIfNull(address);
        using var client = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        using var deadline = new CancellationTokenSource(ConnectTimeout);
        try
        {
            client.ConnectAsync(new IPEndPoint(address, port), deadline.Token).AsTask().GetAwaiter().GetResult();
            return "connected";
        }
        catch (SocketException e)
        {
            return e.SocketErrorCode.ToString();
        }
        catch (OperationCanceledException)
        {
            return $"no answer in {ConnectTimeout.TotalSeconds:0.#} s";
        }
    }
}
