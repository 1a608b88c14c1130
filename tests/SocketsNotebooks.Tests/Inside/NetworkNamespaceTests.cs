using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using SocketsNotebooks.Inside;

namespace SocketsNotebooks.Tests.Inside;

[Collection(InsideLabCollection.Name)]
public sealed class NetworkNamespaceTests
{
    private static bool Listed(string name) => File.Exists(Path.Combine("/run/netns", name));

    [SkippableFact]
    public async Task DisposeAsync_AfterUse_NamespaceGone()
    {
        Privileges.RequireNamespaces();
        string name;
        await using (var ns = NetworkNamespace.Create())
        {
            name = ns.Name;
            Assert.True(Listed(name));
            Assert.StartsWith($"socknb-{Environment.ProcessId}-", name, StringComparison.Ordinal);
        }

        Assert.False(Listed(name));
        Assert.DoesNotContain($"{nameof(NetworkNamespace)} {name}", InsideLab.Running);
    }

    [SkippableFact]
    public async Task DisposeAsync_ExperimentThrowsInside_NamespaceRemovedAnyway()
    {
        Privileges.RequireNamespaces();
        string? name = null;

        async Task Experiment()
        {
            await using var ns = NetworkNamespace.Create();
            name = ns.Name;
            ns.Run<int>(() => throw new InvalidOperationException("the cell failed"));
        }

        var e = await Assert.ThrowsAsync<InvalidOperationException>(Experiment);
        Assert.Equal("the cell failed", e.Message);
        Assert.False(Listed(name!));
    }

    [SkippableFact]
    public void Run_ListenerInside_UnreachableFromTheMachinesOwnLoopback()
    {
        Privileges.RequireNamespaces();
        using var ns = NetworkNamespace.Create();
        using var listener = ns.Run(() =>
        {
            var l = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            l.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            l.Listen();
            return l;
        });
        var inside = (IPEndPoint)listener.LocalEndPoint!;
        using var fromInside = ns.Run(() => new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp));
        using var fromOutside = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);

        fromInside.Connect(inside);
        var refused = Assert.Throws<SocketException>(() => fromOutside.Connect(inside));

        Assert.True(fromInside.Connected);
        Assert.Equal(SocketError.ConnectionRefused, refused.SocketErrorCode);
        Assert.Equal(IPAddress.Loopback, inside.Address);
    }

    [SkippableFact]
    public void Remove_NotDisposedAndForgotten_FinalizerRemovesIt()
    {
        Privileges.RequireNamespaces();
        string name = CreateAndForget();

        GC.Collect();
        GC.WaitForPendingFinalizers();

        Assert.False(Listed(name));
    }

    [SkippableFact]
    public void Create_OrphanOfADeadProcess_RemovedFirst()
    {
        Privileges.RequireNamespaces();
        // No process has this id (above Linux's pid_max of 4,194,304).
        string orphan = "socknb-9999999-1";
        NetworkNamespace.Ip("netns", "add", orphan);
        try
        {
            using var ns = NetworkNamespace.Create();

            Assert.False(Listed(orphan));
        }
        finally
        {
            if (Listed(orphan))
            {
                NetworkNamespace.Ip("netns", "del", orphan);
            }
        }
    }

    [SkippableFact]
    public void TryLoss_OnePercent_AppliedByNetemOrAnNftablesRule()
    {
        Privileges.RequireNamespaces();
        Privileges.RequireTool("nft", "nftables");
        using var ns = NetworkNamespace.Create();

        bool applied = ns.TryLoss(1, out string how);

        Assert.True(applied, how);
        Assert.Equal([how], ns.Impairments);
        Assert.True(how.StartsWith("netem", StringComparison.Ordinal) || ns.DroppedByRule() == 0, how);
    }

    [SkippableFact]
    public void TryDelay_ThisKernel_AppliedOrTheToolsAnswerGiven()
    {
        Privileges.RequireNamespaces();
        using var ns = NetworkNamespace.Create();

        bool applied = ns.TryDelay(TimeSpan.FromMilliseconds(20), out string result);

        // Which one depends on the kernel (CONFIG_NET_SCH_NETEM); either way the answer is said, not hidden.
        if (applied)
        {
            Assert.Equal(["netem delay 20ms"], ns.Impairments);
        }
        else
        {
            Assert.Empty(ns.Impairments);
            Assert.False(string.IsNullOrWhiteSpace(result));
        }
    }

    [SkippableFact]
    public void StopAll_NamespaceLeftBehind_Removed()
    {
        Privileges.RequireNamespaces();
        var ns = NetworkNamespace.Create();

        InsideLab.StopAll();

        Assert.False(ns.Exists);
        Assert.False(Listed(ns.Name));
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static string CreateAndForget() => NetworkNamespace.Create().Name;
}
