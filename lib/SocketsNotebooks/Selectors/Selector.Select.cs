using System.Net.Sockets;

namespace SocketsNotebooks.Selectors;

// Waiting: the one blocking call of an event loop (the tutorial's `events = sel.select(timeout=None)`).
public sealed partial class Selector
{
    // Reused between calls. Socket.Select takes lists, copies them into its own poll array, waits,
    // and then removes from each list every socket that is NOT ready. So the lists must be rebuilt
    // from the map on every call: O(registered sockets) per wake-up, where epoll (Python's
    // DefaultSelector on Linux) only reports what is ready. For the few thousand sockets of this
    // course that cost is small; a server for 100k connections would want epoll (EpollSelector) or async I/O.
    // On Linux, .NET implements Socket.Select with poll(2), not select(2), so the FD_SETSIZE
    // (1024) limit of select does not apply (dotnet/runtime SocketPal.Unix.cs, SelectViaPoll).
    private readonly List<Socket> _readList = [];
    private readonly List<Socket> _writeList = [];
    private readonly Dictionary<Socket, int> _readyIndex = [];

    /// <summary>
    /// One <c>Socket.Select</c> over every registered socket.
    /// </summary>
    /// <exception cref="ObjectDisposedException">A registered socket was closed without being unregistered first.</exception>
    private protected override IReadOnlyList<SelectorReady> Wait(TimeSpan? timeout)
    {
        var keys = Snapshot();
        if (keys.Length == 0)
        {
            // Socket.Select throws ArgumentNullException when every list is empty; Python's selector
            // just sleeps. Sleep the timeout so a loop whose last connection closed keeps its rhythm.
            if (timeout is { } wait && wait > TimeSpan.Zero)
            {
                Thread.Sleep(wait);
            }
            return [];
        }

        _readList.Clear();
        _writeList.Clear();
        foreach (var key in keys)
        {
            if ((key.Events & SelectorEvents.Read) != 0)
            {
                _readList.Add(key.Socket);
            }
            if ((key.Events & SelectorEvents.Write) != 0)
            {
                _writeList.Add(key.Socket);
            }
        }

        // The error list stays empty: on Linux it maps to POLLPRI (urgent data), not to errors.
        // A reset or failed connect shows up as readable and/or writable instead, and the recv,
        // send or SO_ERROR that follows tells what went wrong - the same as with Python's selectors.
        Socket.Select(_readList.Count > 0 ? _readList : null, _writeList.Count > 0 ? _writeList : null, null, Microseconds(timeout));

        var ready = new List<SelectorReady>(_readList.Count + _writeList.Count);
        _readyIndex.Clear();
        lock (Gate)
        {
            foreach (var socket in _readList)
            {
                Collect(socket, SelectorEvents.Read, ready);
            }
            foreach (var socket in _writeList)
            {
                Collect(socket, SelectorEvents.Write, ready);
            }
        }
        return ready;
    }

    private void Collect(Socket socket, SelectorEvents mask, List<SelectorReady> ready)
    {
        if (FindLocked(socket) is not { } key)
        {
            return;
        }
        if (_readyIndex.TryGetValue(socket, out int at))
        {
            ready[at] = ready[at] with { Mask = ready[at].Mask | mask };
            return;
        }
        _readyIndex[socket] = ready.Count;
        ready.Add(new SelectorReady(key, mask));
    }

    // Socket.Select counts in microseconds as an int: -1 = forever, and anything over ~35 minutes
    // must be clamped (a loop that wakes after 35 minutes and waits again loses nothing).
    private static int Microseconds(TimeSpan? timeout)
    {
        if (timeout is null || timeout.Value == Timeout.InfiniteTimeSpan)
        {
            return -1;
        }
        double micro = timeout.Value.Ticks / (double)TimeSpan.TicksPerMicrosecond;
        return micro <= 0 ? 0 : micro >= int.MaxValue ? int.MaxValue : (int)micro;
    }
}
