namespace SocketsNotebooks.Inside;

/// <summary>
/// Everything notebook 07 may leave running: captures, TCP_INFO samplers and network namespaces. Each registers
/// here when it starts and leaves when it stops, so the notebook's last cell (or a test) can stop all of them.
/// </summary>
public static class InsideLab
{
    private static readonly object s_gate = new();
    // Weak: a namespace whose last reference a cell dropped must still be collectable, so its finalizer removes it.
    private static readonly List<WeakReference<object>> s_running = [];

    /// <summary>What runs now, one line each (e.g. <c>SegmentCapture</c>, <c>NetworkNamespace socknb-123-1</c>).</summary>
    public static IReadOnlyList<string> Running
    {
        get
        {
            lock (s_gate)
            {
                return [.. Alive().Select(r => r is NetworkNamespace ns ? $"{nameof(NetworkNamespace)} {ns.Name}" : r.GetType().Name)];
            }
        }
    }

    /// <summary>Stops every capture and sampler and removes every namespace this process started.</summary>
    public static void StopAll()
    {
        object[] all;
        lock (s_gate)
        {
            all = [.. Alive()];
        }
        foreach (var item in all)
        {
            switch (item)
            {
                case SegmentCapture capture:
                    capture.Stop();
                    break;
                case TcpInfoSampler sampler:
                    sampler.Stop();
                    break;
                case NetworkNamespace ns:
                    ns.Remove();
                    break;
            }
        }
    }

    internal static void Started(object item)
    {
        lock (s_gate)
        {
            s_running.Add(new WeakReference<object>(item));
        }
    }

    internal static void Stopped(object item)
    {
        lock (s_gate)
        {
            s_running.RemoveAll(r => !r.TryGetTarget(out var target) || ReferenceEquals(target, item));
        }
    }

    // Called under s_gate.
    private static List<object> Alive()
    {
        var alive = new List<object>();
        foreach (var reference in s_running)
        {
            if (reference.TryGetTarget(out var target))
            {
                alive.Add(target);
            }
        }
        return alive;
    }
}
