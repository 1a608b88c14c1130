using System.Runtime.InteropServices;

namespace SocketsNotebooks.Inside;

// Removing namespaces: what `ip netns del` does, in syscalls a finalizer may make, and the orphans of dead processes.
public sealed partial class NetworkNamespace
{
    // `ip netns del` is a lazy unmount of the bind mount that keeps the namespace alive, then unlinking its file;
    // the kernel frees the namespace when its last socket closes.
    private static void Delete(string name)
    {
        string path = Path.Combine(NetnsFolder, name);
        _ = Umount2(path, MntDetach);
        _ = Unlink(path);
        s_existing.TryRemove(name, out _);
    }

    // Namespaces left by a process of this course that died before removing them (killed kernel, crashed test).
    private static void RemoveOrphans()
    {
        if (!Directory.Exists(NetnsFolder))
        {
            return;
        }
        foreach (string path in Directory.GetFiles(NetnsFolder, $"{Prefix}*"))
        {
            string[] parts = Path.GetFileName(path)[Prefix.Length..].Split('-');
            if (int.TryParse(parts[0], out int pid) && pid != Environment.ProcessId && !Directory.Exists($"/proc/{pid}"))
            {
                Delete(Path.GetFileName(path));
            }
        }
    }

    // DllImport rather than LibraryImport: the generated marshalling needs unsafe code, which this library does not allow.
    [DllImport("libc", EntryPoint = "setns", SetLastError = true)]
    private static extern int SetNs(int fd, int nstype);

    [DllImport("libc", EntryPoint = "umount2", SetLastError = true)]
    private static extern int Umount2([MarshalAs(UnmanagedType.LPUTF8Str)] string target, int flags);

    [DllImport("libc", EntryPoint = "unlink", SetLastError = true)]
    private static extern int Unlink([MarshalAs(UnmanagedType.LPUTF8Str)] string path);
}
