using System.ComponentModel;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace SocketsNotebooks.Selectors;

/// <summary>
/// The Linux calls behind <see cref="EpollSelector"/> (man 7 epoll, man 2 eventfd), straight from libc.
/// Buffers are passed as byte arrays (blittable, pinned for the call) and the one struct,
/// <c>epoll_event</c>, is written by hand because its layout depends on the CPU: x86-64 packs it
/// (12 bytes, data at offset 4), other 64-bit CPUs align it (16 bytes, data at offset 8).
/// </summary>
internal static class EpollNative
{
    public const int EPOLL_CLOEXEC = 0x80000;
    public const int EPOLL_CTL_ADD = 1;
    public const int EPOLL_CTL_DEL = 2;
    public const int EPOLL_CTL_MOD = 3;
    public const uint EPOLLIN = 0x001;
    public const uint EPOLLOUT = 0x004;
    public const uint EPOLLERR = 0x008;
    public const uint EPOLLHUP = 0x010;
    public const int EFD_CLOEXEC = 0x80000;
    public const int EFD_NONBLOCK = 0x800;
    public const int ENOENT = 2;
    public const int EINTR = 4;
    public const int EBADF = 9;

    private static readonly bool s_packed = RuntimeInformation.ProcessArchitecture is Architecture.X64 or Architecture.X86;

    /// <summary>Bytes of one <c>struct epoll_event</c> on this CPU.</summary>
    public static int EventSize => s_packed ? 12 : 16;

    /// <summary>Writes one <c>epoll_event</c> (what to watch, and the fd as its data) at <paramref name="at"/>.</summary>
    public static void WriteEvent(Span<byte> buffer, int at, uint events, int fd)
    {
        MemoryMarshal.Write(buffer[at..], in events);
        long data = fd;
        MemoryMarshal.Write(buffer[(at + (s_packed ? 4 : 8))..], in data);
    }

    /// <summary>Reads event <paramref name="index"/> of an <c>epoll_wait</c> answer: what happened, and the fd it was registered with.</summary>
    public static (uint Events, int Fd) ReadEvent(ReadOnlySpan<byte> buffer, int index)
    {
        int at = index * EventSize;
        uint events = MemoryMarshal.Read<uint>(buffer[at..]);
        long data = MemoryMarshal.Read<long>(buffer[(at + (s_packed ? 4 : 8))..]);
        return (events, (int)data);
    }

    /// <summary>The error of the last call, as an exception whose message is the OS's (strerror).</summary>
    public static Win32Exception LastError(string call) =>
        new(Marshal.GetLastPInvokeError(), $"{call} failed: {new Win32Exception(Marshal.GetLastPInvokeError()).Message}");

    [DllImport("libc", SetLastError = true)]
    public static extern int epoll_create1(int flags);

    [DllImport("libc", SetLastError = true)]
    public static extern int epoll_ctl(FileDescriptor epfd, int op, int fd, byte[]? ev);

    [DllImport("libc", SetLastError = true)]
    public static extern int epoll_wait(FileDescriptor epfd, byte[] events, int maxevents, int timeout);

    [DllImport("libc", SetLastError = true)]
    public static extern int eventfd(uint initval, int flags);

    [DllImport("libc", SetLastError = true)]
    public static extern nint read(FileDescriptor fd, byte[] buffer, nint count);

    [DllImport("libc", SetLastError = true)]
    public static extern nint write(FileDescriptor fd, byte[] buffer, nint count);

    [DllImport("libc", SetLastError = true)]
    private static extern int close(nint fd);

    /// <summary>An fd of our own (the epoll instance, the wake-up eventfd), closed once when released.</summary>
    internal sealed class FileDescriptor : SafeHandleMinusOneIsInvalid
    {
        public FileDescriptor(int fd)
            : base(ownsHandle: true)
        {
            SetHandle(fd);
        }

        public int Fd => (int)handle;

        protected override bool ReleaseHandle() => close(handle) == 0;
    }
}
