namespace SocketsNotebooks.PubSub;

/// <summary>
/// One connection's subscribed prefixes, matched against a topic without looking at every prefix:
/// the set is hashed, and a topic is matched by looking up each of its own prefixes whose length is a
/// subscribed length. Adding is O(1) (the subscription list the charts show is copied only when read),
/// so subscribing to 60,000 prefixes no longer costs 60,000² steps, and a publish costs O(distinct lengths).
/// </summary>
internal sealed class PrefixSet
{
    private readonly HashSet<string> _prefixes = new(StringComparer.Ordinal);
    private readonly List<string> _inOrder = [];
    // Distinct prefix lengths, ascending, with how many prefixes have each.
    private readonly SortedList<int, int> _lengths = [];

    public int Count => _prefixes.Count;

    public bool Add(string prefix)
    {
        if (!_prefixes.Add(prefix))
        {
            return false;
        }
        _inOrder.Add(prefix);
        _lengths[prefix.Length] = _lengths.GetValueOrDefault(prefix.Length) + 1;
        return true;
    }

    public bool Remove(string prefix)
    {
        if (!_prefixes.Remove(prefix))
        {
            return false;
        }
        _inOrder.Remove(prefix);
        if (--_lengths[prefix.Length] == 0)
        {
            _lengths.Remove(prefix.Length);
        }
        return true;
    }

    /// <summary>Whether exactly this prefix is subscribed (<see cref="Matches"/> asks whether any subscribed prefix starts the topic).</summary>
    public bool Contains(string prefix) => _prefixes.Contains(prefix);

    public bool Matches(string topic)
    {
        foreach (int length in _lengths.Keys)
        {
            if (length > topic.Length)
            {
                return false;
            }
            if (_prefixes.Contains(length == topic.Length ? topic : topic[..length]))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>The prefixes in the order they were subscribed (a copy).</summary>
    public string[] ToArray() => [.. _inOrder];
}
