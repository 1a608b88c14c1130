using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace SocketsNotebooks.Inside;

/// <summary>
/// <c>sockets tcpinfo</c>'s work: connect to a server, send one short message per tick (<c>b'Hello, world'</c>),
/// take whatever comes back without waiting for it, and read the connection's TCP_INFO after each tick.
/// </summary>
public static class TcpInfoWatch
{
    /// <summary>The message sent each tick: the tutorial's.</summary>
    public static readonly byte[] Message = "Hello, world"u8.ToArray();

    /// <summary>
    /// Connects to <paramref name="server"/> and, every <paramref name="every"/> for <paramref name="duration"/>
    /// (or until cancelled), sends <see cref="Message"/>, reads what has arrived, and reports the TCP_INFO reading
    /// to <paramref name="onSample"/>. Returns every reading. Off Linux it throws <see cref="PlatformNotSupportedException"/>.
    /// </summary>
    public static async Task<IReadOnlyList<TcpInfoSample>> WatchAsync(IPEndPoint server, TimeSpan duration, TimeSpan every,
        Action<TcpInfoSample>? onSample = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(server);
        if (!TcpInfoReader.IsAvailable)
        {
            throw new PlatformNotSupportedException(TcpInfoReader.NotAvailableReason);
        }
        using var socket = new Socket(server.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(server, cancellationToken).ConfigureAwait(false);
        var samples = new List<TcpInfoSample>();
        var clock = Stopwatch.StartNew();
        var buffer = new byte[64 * 1024];
        using var ticks = new PeriodicTimer(every);
        do
        {
            await socket.SendAsync(Message, SocketFlags.None, cancellationToken).ConfigureAwait(false);
            while (socket.Available > 0)
            {
                await socket.ReceiveAsync(buffer, SocketFlags.None, cancellationToken).ConfigureAwait(false);
            }
            var sample = new TcpInfoSample(Math.Round(clock.Elapsed.TotalMilliseconds, 3), TcpInfoReader.Read(socket));
            samples.Add(sample);
            onSample?.Invoke(sample);
        }
        while (clock.Elapsed + every <= duration && await Tick(ticks, cancellationToken).ConfigureAwait(false));
        socket.Shutdown(SocketShutdown.Both);
        return samples;
    }

    private static async Task<bool> Tick(PeriodicTimer ticks, CancellationToken cancellationToken)
    {
        try
        {
            return await ticks.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return false; // Ctrl+C: stop watching, keep what was read
        }
    }
}
