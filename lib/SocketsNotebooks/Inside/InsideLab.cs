namespace SocketsNotebooks.Inside;

/// <summary>
/// Everything notebook 07 may leave running: captures, TCP_INFO samplers and network namespaces. Each registers
/// here when it starts and leaves when it stops, so the notebook's last cell (or a test) can stop all of them.
/// </summary>
public static class InsideLab
{
    private static readonly object s_gate = new();
    private static readonly List<object> s_running = [];

    /// <summary>What runs now, one line each (e.g. <c>SegmentCapture</c>, <c>NetworkNamespace socknb-123-1</c>).</summary>
    public static IReadOnlyList<string> Running
    {
        get
        {
            lock (s_gate)
            {
                return [.. s_running.Select(r => r is NetworkNamespace ns ? $"{nameof(NetworkNamespace)} {ns.Name}" : r.GetType().Name)];
            }
        }
    }

    /// <summary>Stops every capture and sampler and removes every namespace this process started.</summary>
    public static void StopAll()
    {
        object[] all;
        lock (s_gate)
        {
            all = [.. s_running];
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
            s_running.Add(item);
        }
    }

    internal static void Stopped(object item)
    {
        lock (s_gate)
        {
            s_running.Remove(item);
        }
    }
}
