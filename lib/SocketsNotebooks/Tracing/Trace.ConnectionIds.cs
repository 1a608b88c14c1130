using System.Net;

namespace SocketsNotebooks.Tracing;

// Connection ids: both ends of one TCP connection ask with the same two endpoints and get the same
// id, so a chart draws the client's and the server's socket of one conversation together.
public sealed partial class Trace
{
    // Pending pairs: the first end to ask creates the id, the second end takes it and the entry
    // goes, so a later connection that reuses the same two ports gets a fresh id.
    private readonly Dictionary<string, (int Id, int AsksLeft)> _connectionIds = [];
    // Every pair created, oldest first (taken ones included), so a pair whose other end never asks
    // (only one end traced: a CLI server talking to a Python client) is forgotten in time.
    private readonly Queue<(string Key, int Id)> _pairsCreated = new();
    private int _lastConnectionId;

    /// <summary>
    /// How many pairs <see cref="ConnectionId"/> remembers: once this many newer pairs were created,
    /// a pair whose other end has not asked yet is forgotten (that end, if it ever asks, gets a
    /// fresh id). As many as the CLI opens at once (<c>multiconn-client</c> takes up to 10,000), so
    /// both ends of every connection of one run still meet.
    /// </summary>
    public const int MaxPendingConnections = 10_000;

    /// <summary>A fresh connection id for a socket whose peer is not known yet.</summary>
    public int NewConnectionId() => Interlocked.Increment(ref _lastConnectionId);

    /// <summary>
    /// The id of the TCP connection between two endpoints. Both ends ask with the same pair
    /// (in either order), so the client's and the server's socket of one connection share an id.
    /// </summary>
    public int ConnectionId(EndPoint? one, EndPoint? other)
    {
        if (one is null || other is null)
        {
            return NewConnectionId();
        }
        string key = PairKey(one, other);
        lock (_gate)
        {
            if (_connectionIds.TryGetValue(key, out var pending))
            {
                if (pending.AsksLeft <= 1)
                {
                    _connectionIds.Remove(key);
                }
                else
                {
                    _connectionIds[key] = (pending.Id, pending.AsksLeft - 1);
                }
                return pending.Id;
            }
            int id = NewConnectionId();
            Remember(key, id, 1);
            return id;
        }
    }

    /// <summary>
    /// Gives the connection between two endpoints a chosen id before either end asks for it.
    /// The relay uses this so the server's end of the relayed connection carries the client's id:
    /// one conversation, one id, on both legs.
    /// </summary>
    public void LinkConnection(EndPoint one, EndPoint other, int id)
    {
        ArgumentNullException.ThrowIfNull(one);
        ArgumentNullException.ThrowIfNull(other);
        lock (_gate)
        {
            // Both ends still ask once each.
            Remember(PairKey(one, other), id, 2);
        }
    }

    // Caller holds _gate. Bounded by creations, not by time: a notebook may leave minutes between
    // a client's connect() cell and the server's accept() cell, but never 10,000 connections.
    private void Remember(string key, int id, int asksLeft)
    {
        _connectionIds[key] = (id, asksLeft);
        _pairsCreated.Enqueue((key, id));
        while (_pairsCreated.Count > MaxPendingConnections)
        {
            var (oldKey, oldId) = _pairsCreated.Dequeue();
            // Only if the entry is still that pair: it may have been taken, or replaced by a newer one.
            if (_connectionIds.TryGetValue(oldKey, out var pending) && pending.Id == oldId)
            {
                _connectionIds.Remove(oldKey);
            }
        }
    }

    private static string PairKey(EndPoint one, EndPoint other)
    {
        string a = one.ToString()!, b = other.ToString()!;
        return string.CompareOrdinal(a, b) < 0 ? $"{a}|{b}" : $"{b}|{a}";
    }

}
