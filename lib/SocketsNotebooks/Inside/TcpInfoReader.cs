using System.Net.Sockets;

namespace SocketsNotebooks.Inside;

/// <summary>
/// Reads <c>TCP_INFO</c> from a connected socket through <see cref="Socket.GetRawSocketOption"/>: the kernel's
/// own view of the connection (round-trip time, congestion window, retransmissions, windows). No privileges
/// are needed; it is Linux's option, so elsewhere <see cref="IsAvailable"/> is false and reading throws.
/// </summary>
public static class TcpInfoReader
{
    /// <summary><c>IPPROTO_TCP</c>.</summary>
    private const int TcpLevel = 6;

    /// <summary><c>TCP_INFO</c> (include/uapi/linux/tcp.h).</summary>
    private const int TcpInfoOption = 11;

    /// <summary>Room for the whole struct of today's kernels and some growth: the kernel fills in what it has.</summary>
    private const int BufferSize = 512;

    /// <summary>Whether this OS has <c>TCP_INFO</c> as the course reads it (Linux).</summary>
    public static bool IsAvailable => OperatingSystem.IsLinux();

    /// <summary>What to say where it is not available.</summary>
    public static string NotAvailableReason =>
        $"TCP_INFO is Linux's socket option; this is {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, " +
        "where the kernel reports these numbers differently (macOS: TCP_CONNECTION_INFO, Windows: SIO_TCP_INFO) and this course does not read them.";

    /// <summary>The connection's <see cref="TcpInfo"/> now. Throws <see cref="PlatformNotSupportedException"/> off Linux.</summary>
    public static TcpInfo Read(Socket socket) => TcpInfo.Decode(ReadRaw(socket));

    /// <summary>Like <see cref="Read"/>, false off Linux or once the socket is closed.</summary>
    public static bool TryRead(Socket socket, out TcpInfo? info)
    {
        info = null;
        if (!IsAvailable)
        {
            return false;
        }
        try
        {
            info = Read(socket);
            return true;
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            return false;
        }
    }

    /// <summary>The bytes of <c>struct tcp_info</c> exactly as the kernel returned them (as many as it filled in).</summary>
    public static byte[] ReadRaw(Socket socket)
    {
        ArgumentNullException.ThrowIfNull(socket);
        if (!IsAvailable)
        {
            throw new PlatformNotSupportedException(NotAvailableReason);
        }
        var buffer = new byte[BufferSize];
        int length = socket.GetRawSocketOption(TcpLevel, TcpInfoOption, buffer);
        return buffer[..length];
    }
}
