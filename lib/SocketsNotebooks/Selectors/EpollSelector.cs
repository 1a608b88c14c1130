using System.Diagnostics;
using System.Net.Sockets;
using static SocketsNotebooks.Selectors.EpollNative;

namespace SocketsNotebooks.Selectors;

/// <summary>
/// Python's <c>selectors.EpollSelector</c> (its <c>DefaultSelector</c> on Linux), with the same API
/// as <see cref="Selector"/>, so notebook 02's loop runs on it unchanged. The list of watched sockets
/// lives in the kernel: <c>Register</c>/<c>Modify</c>/<c>Unregister</c> tell it once
/// (<c>epoll_ctl</c>), and each <see cref="BaseSelector.Select"/> is one <c>epoll_wait</c> that hands
/// back only the ready sockets. So a call costs about the same with 10 or 10,000 sockets registered,
/// where <see cref="Selector"/> (poll) scans all of them every time. Linux only: elsewhere
/// <see cref="IsSupported"/> is false and the constructor throws <see cref="PlatformNotSupportedException"/>.
/// </summary>
/// <remarks>
/// Level-triggered (epoll's default), like poll: a socket with unread bytes is reported on every call
/// until they are read. A socket closed without being unregistered leaves the kernel's list silently
/// (the OS drops it on close), not with an error as in <see cref="Selector"/>; unregister first anyway.
/// Dispose it (Python's <c>close()</c>) to release the epoll instance.
/// </remarks>
public sealed class EpollSelector : BaseSelector
{
    private static readonly byte[] s_one = BitConverter.GetBytes(1L);
    private readonly FileDescriptor _epoll;
    private readonly FileDescriptor _wakeUp;
    // The fd is the event's data: epoll hands it back, and this turns it into the socket again. The
    // other way round is kept too, because a socket closed before Unregister no longer tells its fd.
    private readonly Dictionary<int, Socket> _sockets = [];
    private readonly Dictionary<Socket, int> _fds = [];
    private readonly byte[] _control = new byte[16];
    private readonly byte[] _drain = new byte[8];
    private byte[] _events = [];

    /// <summary>Whether epoll exists here (Linux).</summary>
    public static bool IsSupported => OperatingSystem.IsLinux();

    /// <summary>Creates the epoll instance (<c>epoll_create1</c>) and the eventfd that <see cref="Wake"/> writes to.</summary>
    /// <exception cref="PlatformNotSupportedException">Not on Linux: use <see cref="Selector"/>.</exception>
    public EpollSelector()
    {
        if (!IsSupported)
        {
            throw new PlatformNotSupportedException("EpollSelector needs Linux's epoll; on this system use Selector (Socket.Select), which has the same API.");
        }
        int epoll = epoll_create1(EPOLL_CLOEXEC);
        if (epoll < 0)
        {
            throw LastError("epoll_create1");
        }
        _epoll = new FileDescriptor(epoll);
        int wakeUp = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
        if (wakeUp < 0)
        {
            var error = LastError("eventfd");
            _epoll.Dispose();
            throw error;
        }
        _wakeUp = new FileDescriptor(wakeUp);
        Control(EPOLL_CTL_ADD, _wakeUp.Fd, EPOLLIN, "epoll_ctl(ADD eventfd)");
    }

    /// <summary>
    /// Makes a <see cref="BaseSelector.Select"/> that is waiting on another thread return now. A
    /// server's Stop needs it: a socket closed under epoll just leaves the list, it does not wake the waiter.
    /// </summary>
    public override void Wake()
    {
        try
        {
            // A failure can only be EAGAIN: the counter is already non-zero, a wake-up is pending anyway.
            write(_wakeUp, s_one, 8);
        }
        catch (ObjectDisposedException)
        {
            // Disposed meanwhile (the loop ended as it was being stopped): nobody is left to wake.
        }
    }

    private protected override void Added(Socket socket, SelectorEvents events)
    {
        ObjectDisposedException.ThrowIf(_epoll.IsClosed, this);
        int fd = (int)socket.Handle;
        if (_sockets.ContainsKey(fd))
        {
            // Only possible if a registered socket was closed without Unregister and the OS gave its
            // number to this one: the loop lost track of a socket (Python raises here too).
            throw new InvalidOperationException($"fd {fd} is still registered for a socket that was closed without being unregistered.");
        }
        Control(EPOLL_CTL_ADD, fd, Interest(events), "epoll_ctl(ADD)");
        _sockets.Add(fd, socket);
        _fds.Add(socket, fd);
    }

    private protected override void Changed(Socket socket, SelectorEvents events) =>
        Control(EPOLL_CTL_MOD, _fds[socket], Interest(events), "epoll_ctl(MOD)");

    private protected override void Removed(Socket socket)
    {
        if (!_fds.Remove(socket, out int fd))
        {
            return;
        }
        _sockets.Remove(fd);
        if (!_epoll.IsClosed && epoll_ctl(_epoll, EPOLL_CTL_DEL, fd, null) < 0)
        {
            var error = LastError("epoll_ctl(DEL)");
            // EBADF/ENOENT: the socket was closed first, and the OS already took it off the list.
            if (error.NativeErrorCode is not (EBADF or ENOENT))
            {
                throw error;
            }
        }
    }

    private protected override IReadOnlyList<SelectorReady> Wait(TimeSpan? timeout)
    {
        ObjectDisposedException.ThrowIf(_epoll.IsClosed, this);
        // Room for every registered socket plus the eventfd, up to 4,096 a call; level-triggered
        // epoll reports any others on the next call.
        int capacity = Math.Clamp(Count + 1, 16, 4096);
        if (_events.Length < capacity * EventSize)
        {
            _events = new byte[capacity * EventSize];
        }
        int n = WaitRetryingInterrupts(capacity, timeout);

        var ready = new List<SelectorReady>(n);
        lock (Gate)
        {
            for (int i = 0; i < n; i++)
            {
                var (events, fd) = ReadEvent(_events, i);
                if (fd == _wakeUp.Fd)
                {
                    read(_wakeUp, _drain, 8);
                    continue;
                }
                if (!_sockets.TryGetValue(fd, out var socket) || FindLocked(socket) is not { } key)
                {
                    continue;
                }
                // Like Python's selectors: an error or hang-up makes a socket both readable and
                // writable, so whichever call the loop makes next reports what went wrong.
                var mask = ((events & (EPOLLIN | EPOLLERR | EPOLLHUP)) != 0 ? SelectorEvents.Read : SelectorEvents.None)
                    | ((events & (EPOLLOUT | EPOLLERR | EPOLLHUP)) != 0 ? SelectorEvents.Write : SelectorEvents.None);
                mask &= key.Events;
                if (mask != SelectorEvents.None)
                {
                    ready.Add(new SelectorReady(key, mask));
                }
            }
        }
        return ready;
    }

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _epoll.Dispose();
            _wakeUp.Dispose();
        }
        base.Dispose(disposing);
    }

    // The runtime interrupts threads with signals (e.g. to suspend them for a GC), and epoll_wait
    // then fails with EINTR; wait again for what is left of the timeout, as Python does (PEP 475).
    private int WaitRetryingInterrupts(int capacity, TimeSpan? timeout)
    {
        long started = Stopwatch.GetTimestamp();
        while (true)
        {
            int n = epoll_wait(_epoll, _events, capacity, Milliseconds(timeout, Stopwatch.GetElapsedTime(started)));
            if (n >= 0)
            {
                return n;
            }
            var error = LastError("epoll_wait");
            if (error.NativeErrorCode != EINTR)
            {
                throw error;
            }
        }
    }

    private void Control(int op, int fd, uint events, string call)
    {
        WriteEvent(_control, 0, events, fd);
        if (epoll_ctl(_epoll, op, fd, _control) < 0)
        {
            throw LastError(call);
        }
    }

    private static uint Interest(SelectorEvents events) =>
        ((events & SelectorEvents.Read) != 0 ? EPOLLIN : 0) | ((events & SelectorEvents.Write) != 0 ? EPOLLOUT : 0);

    // epoll_wait counts whole milliseconds: -1 waits for ever, and a partial millisecond is rounded
    // up (Python does the same), so a 0.5 ms timeout still waits rather than spinning.
    private static int Milliseconds(TimeSpan? timeout, TimeSpan elapsed)
    {
        if (timeout is null || timeout.Value == Timeout.InfiniteTimeSpan)
        {
            return -1;
        }
        double left = Math.Ceiling((timeout.Value - elapsed).TotalMilliseconds);
        return left <= 0 ? 0 : left >= int.MaxValue ? int.MaxValue : (int)left;
    }
}
