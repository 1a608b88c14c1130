using System.ComponentModel;
using System.Runtime.ExceptionServices;
using System.Runtime.InteropServices;

namespace SocketsNotebooks.Inside;

/// <summary>
/// A Linux network namespace of the notebook's own: a private network stack with a loopback interface of its
/// own, so delay and loss can be put on <em>that</em> 127.0.0.1 without touching the machine's. Sockets and
/// captures are made inside it by <see cref="Run{T}"/> (a thread that entered it with <c>setns</c>); once made
/// they stay in it whichever thread uses them. Needs root (or CAP_SYS_ADMIN) and <c>ip</c> (iproute2).
/// It is always removed: by <see cref="Remove"/>/<see cref="DisposeAsync"/>, by <see cref="InsideLab.StopAll"/>,
/// at process exit, by the finalizer once nothing refers to it, and at the next <see cref="Create"/> if its process died.
/// </summary>
public sealed partial class NetworkNamespace : IAsyncDisposable, IDisposable
{
    private const string Prefix = "socknb-";
    private const string NetnsFolder = "/run/netns";
    private const int CloneNewNet = 0x40000000;
    private const int MntDetach = 2;
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, byte> s_existing = new();
    private static int s_count;
    private int _removed;

    // One handler for the process, holding names only: an instance handler would keep every namespace reachable,
    // and its finalizer could never run.
    static NetworkNamespace() => AppDomain.CurrentDomain.ProcessExit += (_, _) =>
    {
        foreach (string name in s_existing.Keys)
        {
            Delete(name);
        }
    };

    private NetworkNamespace(string name)
    {
        Name = name;
        s_existing[name] = 0;
        InsideLab.Started(this);
    }

    /// <summary>The namespace's name, as <c>ip netns list</c> shows it: <c>socknb-&lt;pid&gt;-&lt;n&gt;</c>.</summary>
    public string Name { get; }

    /// <summary>Whether it still exists.</summary>
    public bool Exists => Volatile.Read(ref _removed) == 0 && File.Exists(Path.Combine(NetnsFolder, Name));

    /// <summary>What was put on its loopback interface so far (<c>netem delay 20ms</c>, <c>nft: drop 1%</c>), in order.</summary>
    public IReadOnlyList<string> Impairments => _impairments;

    private readonly List<string> _impairments = [];

    /// <summary>
    /// Whether this process may make network namespaces here: Linux, <c>ip</c> installed, and root (or
    /// CAP_SYS_ADMIN). It makes one and removes it again to be sure.
    /// </summary>
    public static (bool CanCreate, string Reason) Check()
    {
        if (!OperatingSystem.IsLinux())
        {
            return (false, "network namespaces are Linux's");
        }
        try
        {
            using var probe = Create();
            return (true, "root may create network namespaces here");
        }
        catch (Exception e) when (e is InvalidOperationException or Win32Exception)
        {
            return (false, e.Message);
        }
    }

    /// <summary>
    /// Makes a namespace and brings its loopback interface up, with an MTU of <paramref name="mtu"/> bytes
    /// (1500 by default, Ethernet's) and one segment per packet, so segments are the size and number a real
    /// network carries rather than loopback's 64 KiB.
    /// </summary>
    public static NetworkNamespace Create(int mtu = 1500)
    {
        RemoveOrphans();
        string name = $"{Prefix}{Environment.ProcessId}-{Interlocked.Increment(ref s_count)}";
        Ip("netns", "add", name);
        var ns = new NetworkNamespace(name);
        try
        {
            // gso_max_segs 1: loopback otherwise passes TCP's 64 KiB "super segments" (GSO) whole, and a capture or
            // a loss rule would see one packet where a real network carries forty-five.
            Ip("-n", name, "link", "set", "dev", "lo", "mtu", mtu.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "gso_max_segs", "1", "up");
            return ns;
        }
        catch
        {
            ns.Remove();
            throw;
        }
    }

    /// <summary>
    /// Runs <paramref name="action"/> on a thread that has entered this namespace, and returns its result (or
    /// throws its exception). Sockets, listeners and captures it creates belong to the namespace for good.
    /// </summary>
    public T Run<T>(Func<T> action)
    {
        ArgumentNullException.ThrowIfNull(action);
        T result = default!;
        ExceptionDispatchInfo? failure = null;
        // A thread of its own: setns moves only the calling thread, and a pool thread must never be left inside.
        var thread = new Thread(() =>
        {
            try
            {
                using var handle = File.OpenHandle(Path.Combine(NetnsFolder, Name));
                if (SetNs((int)handle.DangerousGetHandle(), CloneNewNet) != 0)
                {
                    throw new Win32Exception(Marshal.GetLastPInvokeError(), $"setns into {Name}");
                }
                result = action();
            }
            catch (Exception e)
            {
                failure = ExceptionDispatchInfo.Capture(e);
            }
        }) { IsBackground = true, Name = $"in {Name}" };
        thread.Start();
        thread.Join();
        failure?.Throw();
        return result;
    }

    /// <summary>Removes the namespace (what <c>ip netns del</c> does). Safe to call more than once.</summary>
    public void Remove()
    {
        if (Interlocked.Exchange(ref _removed, 1) != 0)
        {
            return;
        }
        Delete(Name);
        InsideLab.Stopped(this);
        GC.SuppressFinalize(this);
    }

    /// <inheritdoc/>
    public void Dispose() => Remove();

    /// <inheritdoc/>
    public ValueTask DisposeAsync()
    {
        Remove();
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public override string ToString() => $"network namespace {Name}{(Exists ? "" : " (removed)")}";

    /// <summary>A forgotten namespace is still removed: only syscalls here, nothing a finalizer may not do.</summary>
    ~NetworkNamespace()
    {
        if (Volatile.Read(ref _removed) == 0)
        {
            Delete(Name);
        }
    }

    internal static string Ip(params string[] args) => Command.Run("ip", args);
}
