using System.Net.Sockets;
using SocketsNotebooks.Tracing;

namespace SocketsNotebooks.Selectors;

/// <summary>
/// Python's <c>selectors.BaseSelector</c>: what every selector of the course shares. Register sockets
/// with an events mask (<see cref="SelectorEvents.Read"/> = <c>EVENT_READ</c>,
/// <see cref="SelectorEvents.Write"/> = <c>EVENT_WRITE</c>) and a data object, then ask
/// <see cref="Select"/> which of them are ready. The registrations live here; how the waiting is
/// done is each selector's own: <see cref="Selector"/> asks <c>Socket.Select</c> (poll underneath)
/// about every registered socket on every call, <see cref="EpollSelector"/> keeps the list in the
/// kernel (epoll) and is told only what is ready. A loop written against this type runs on either.
/// </summary>
/// <remarks>
/// Like Python's selectors it is meant for the one thread that runs the event loop; the map is
/// guarded only so another thread (a notebook cell) can look at <see cref="Keys"/> while the loop runs.
/// </remarks>
public abstract partial class BaseSelector : IDisposable
{
    private readonly object _gate = new();
    // Keyed by the BCL socket because that is what Socket.Select hands back.
    private readonly Dictionary<Socket, SelectorKey> _keys = [];

    // Only this library's selectors derive: the hooks below run under the map's lock.
    private protected BaseSelector()
    {
    }

    /// <summary>A new selector of the given kind (<see cref="SelectorKind.Epoll"/> throws <see cref="PlatformNotSupportedException"/> off Linux).</summary>
    public static BaseSelector Create(SelectorKind kind) => kind switch
    {
        SelectorKind.Select => new Selector(),
        SelectorKind.Epoll => new EpollSelector(),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Select or Epoll."),
    };

    /// <summary>How many sockets are registered.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _keys.Count;
            }
        }
    }

    /// <summary>The registrations, in no particular order (a snapshot).</summary>
    public IReadOnlyList<SelectorKey> Keys
    {
        get
        {
            lock (_gate)
            {
                return _keys.Values.ToArray();
            }
        }
    }

    /// <summary>Python's <c>get_map()</c>: registered object (socket or traced socket) → its key (a snapshot).</summary>
    public IReadOnlyDictionary<object, SelectorKey> GetMap()
    {
        lock (_gate)
        {
            return _keys.Values.ToDictionary(k => k.FileObj, k => k, ReferenceEqualityComparer.Instance);
        }
    }

    /// <summary>Python's <c>register()</c>: watch a socket for <paramref name="events"/>; <paramref name="data"/> comes back with it.</summary>
    public SelectorKey Register(Socket socket, SelectorEvents events, object? data = null) =>
        Add(socket ?? throw new ArgumentNullException(nameof(socket)), socket, events, data);

    /// <summary>Python's <c>register()</c> for a traced socket (the key's <see cref="SelectorKey.FileObj"/> is the traced socket).</summary>
    public SelectorKey Register(TracedSocket socket, SelectorEvents events, object? data = null) =>
        Add(socket ?? throw new ArgumentNullException(nameof(socket)), socket.Socket, events, data);

    /// <summary>Python's <c>modify()</c>: change what a registered socket is watched for, and its data.</summary>
    public SelectorKey Modify(Socket socket, SelectorEvents events, object? data = null) =>
        Replace(socket ?? throw new ArgumentNullException(nameof(socket)), events, data);

    /// <summary>Python's <c>modify()</c> for a traced socket.</summary>
    public SelectorKey Modify(TracedSocket socket, SelectorEvents events, object? data = null) =>
        Replace((socket ?? throw new ArgumentNullException(nameof(socket))).Socket, events, data);

    /// <summary>
    /// Changes only the events mask and keeps the data: what a loop does each time its
    /// "do I have bytes to send?" answer flips.
    /// </summary>
    public SelectorKey Modify(SelectorKey key, SelectorEvents events) =>
        Replace((key ?? throw new ArgumentNullException(nameof(key))).Socket, events, key.Data);

    /// <summary>Python's <c>unregister()</c>: stop watching a socket (do this before closing it). Returns its last key.</summary>
    public SelectorKey Unregister(Socket socket)
    {
        ArgumentNullException.ThrowIfNull(socket);
        lock (_gate)
        {
            if (!_keys.Remove(socket, out var key))
            {
                throw new KeyNotFoundException($"{socket.LocalEndPoint} is not registered.");
            }
            Removed(socket);
            return key;
        }
    }

    /// <summary>Python's <c>unregister()</c> for a traced socket.</summary>
    public SelectorKey Unregister(TracedSocket socket) =>
        Unregister((socket ?? throw new ArgumentNullException(nameof(socket))).Socket);

    /// <summary>The key of a registered socket, or null.</summary>
    public SelectorKey? GetKey(Socket socket)
    {
        ArgumentNullException.ThrowIfNull(socket);
        lock (_gate)
        {
            return _keys.GetValueOrDefault(socket);
        }
    }

    /// <summary>Forgets every registration (the sockets stay open).</summary>
    public void Clear()
    {
        lock (_gate)
        {
            foreach (var socket in _keys.Keys)
            {
                Removed(socket);
            }
            _keys.Clear();
        }
    }

    private SelectorKey Add(object fileObj, Socket socket, SelectorEvents events, object? data)
    {
        CheckEvents(events);
        var key = new SelectorKey(fileObj, socket, events, data);
        lock (_gate)
        {
            if (_keys.ContainsKey(socket))
            {
                throw new InvalidOperationException($"{socket.LocalEndPoint} is already registered; use Modify.");
            }
            Added(socket, events);
            _keys.Add(socket, key);
        }
        return key;
    }

    private SelectorKey Replace(Socket socket, SelectorEvents events, object? data)
    {
        CheckEvents(events);
        lock (_gate)
        {
            if (!_keys.TryGetValue(socket, out var old))
            {
                throw new KeyNotFoundException($"{socket.LocalEndPoint} is not registered.");
            }
            if (events != old.Events)
            {
                Changed(socket, events);
            }
            var key = old with { Events = events, Data = data };
            _keys[socket] = key;
            return key;
        }
    }

    // Python raises ValueError for an empty or unknown mask; a socket watched for nothing would
    // only sit in the map, and Socket.Select could not be given it anyway.
    private static void CheckEvents(SelectorEvents events)
    {
        if (events == SelectorEvents.None || (events & ~(SelectorEvents.Read | SelectorEvents.Write)) != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(events), events, "Watch for Read, Write or Read | Write.");
        }
    }
}
