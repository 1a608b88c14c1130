using System.Net.Sockets;

namespace SocketsNotebooks.Selectors;

// Waiting: the one blocking call of an event loop (the tutorial's `events = sel.select(timeout=None)`).
public sealed partial class Selector
{
    // Reused between calls. Socket.Select takes lists, copies them into its own poll array, waits,
    // and then removes from each list every socket that is NOT ready. So the lists must be rebuilt
    // from the map on every call: O(registered sockets) per wake-up, where epoll (Python's
    // DefaultSelector on Linux) only reports what is ready. For the few thousand sockets of this
    // course that cost is small; a server for 100k connections would want epoll (or async I/O).
    // On Linux, .NET implements Socket.Select with poll(2), not select(2), so the FD_SETSIZE
    // (1024) limit of select does not apply (dotnet/runtime SocketPal.Unix.cs, SelectViaPoll).
    private readonly List<Socket> _readList = [];
    private readonly List<Socket> _writeList = [];
    private readonly Dictionary<Socket, int> _readyIndex = [];

    /// <summary>
    /// Python's <c>select(timeout)</c>: waits until at least one registered socket is ready or the
    /// timeout passes, and returns the ready ones with what they are ready for. <c>null</c> waits
    /// as long as it takes; <see cref="TimeSpan.Zero"/> only looks. An empty list means the timeout passed.
    /// </summary>
    /// <exception cref="InvalidOperationException">Nothing is registered and <paramref name="timeout"/> is null (it would wait forever).</exception>
    /// <exception cref="ObjectDisposedException">A registered socket was closed without being unregistered first.</exception>
    public IReadOnlyList<SelectorReady> Select(TimeSpan? timeout = null)
    {
        SelectorKey[] keys;
        lock (_gate)
        {
            keys = [.. _keys.Values];
        }
        if (keys.Length == 0)
        {
            // Socket.Select throws ArgumentNullException when every list is empty; Python's selector
            // just sleeps. Sleep the timeout so a loop whose last connection closed keeps its rhythm.
            if (timeout is null)
            {
                throw new InvalidOperationException("Nothing is registered and no timeout was given: Select would wait forever.");
            }
            if (timeout.Value > TimeSpan.Zero)
            {
                Thread.Sleep(timeout.Value);
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
        lock (_gate)
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
        if (!_keys.TryGetValue(socket, out var key))
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
