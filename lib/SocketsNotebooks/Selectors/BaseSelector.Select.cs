using System.Net.Sockets;

namespace SocketsNotebooks.Selectors;

// Waiting, and what a selector of this library plugs in: how to wait, and what to tell the OS when
// the map changes (Socket.Select needs nothing; epoll is told about every change at once).
public abstract partial class BaseSelector
{
    /// <summary>
    /// Python's <c>select(timeout)</c>: waits until at least one registered socket is ready or the
    /// timeout passes, and returns the ready ones with what they are ready for. <c>null</c> waits
    /// as long as it takes; <see cref="TimeSpan.Zero"/> only looks. An empty list means the timeout passed.
    /// </summary>
    /// <exception cref="InvalidOperationException">Nothing is registered and <paramref name="timeout"/> is null (it would wait forever).</exception>
    public IReadOnlyList<SelectorReady> Select(TimeSpan? timeout = null)
    {
        if (timeout is null && Count == 0)
        {
            throw new InvalidOperationException("Nothing is registered and no timeout was given: Select would wait forever.");
        }
        return Wait(timeout);
    }

    /// <summary>
    /// Makes a <see cref="Select"/> that is waiting on another thread return now, so a loop can see
    /// that it was stopped. <see cref="Selector"/> needs nothing for that (closing one of its sockets
    /// already wakes <c>Socket.Select</c>: the runtime shuts down a socket a call is using);
    /// <see cref="EpollSelector"/> writes to an eventfd it watches.
    /// </summary>
    public virtual void Wake()
    {
    }

    /// <summary>Python's <c>close()</c>: releases what the selector holds in the OS (an epoll instance); the map stays readable.</summary>
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases the selector's OS resources, if it has any.</summary>
    protected virtual void Dispose(bool disposing)
    {
    }

    /// <summary>The waiting itself; <see cref="Select"/> has already refused to wait forever on nothing.</summary>
    private protected abstract IReadOnlyList<SelectorReady> Wait(TimeSpan? timeout);

    /// <summary>A socket was registered for <paramref name="events"/> (under the lock; throwing undoes it).</summary>
    private protected virtual void Added(Socket socket, SelectorEvents events)
    {
    }

    /// <summary>A registered socket is now watched for <paramref name="events"/> instead (under the lock).</summary>
    private protected virtual void Changed(Socket socket, SelectorEvents events)
    {
    }

    /// <summary>A socket was unregistered (under the lock).</summary>
    private protected virtual void Removed(Socket socket)
    {
    }

    /// <summary>Every key (a snapshot), for a selector that asks about all of them on each call.</summary>
    private protected SelectorKey[] Snapshot()
    {
        lock (_gate)
        {
            return [.. _keys.Values];
        }
    }

    /// <summary>The lock that guards the map: hold it around <see cref="FindLocked"/>.</summary>
    private protected object Gate => _gate;

    /// <summary>The key of <paramref name="socket"/>, or null; the caller holds <see cref="Gate"/>.</summary>
    private protected SelectorKey? FindLocked(Socket socket) => _keys.GetValueOrDefault(socket);
}
