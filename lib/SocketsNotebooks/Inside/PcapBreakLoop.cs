using System.Runtime.InteropServices;
using SharpPcap.LibPcap;

namespace SocketsNotebooks.Inside;

/// <summary>
/// libpcap's <c>pcap_breakloop</c>, which SharpPcap keeps to itself. A read on Linux's loopback in immediate mode
/// waits for the next frame with no timeout; since libpcap 1.10 <c>pcap_breakloop</c> wakes that wait (through an
/// eventfd it polls too), so a capture stops at once instead of at the next frame.
/// </summary>
internal static class PcapBreakLoop
{
    private delegate void BreakLoopFunction(IntPtr pcap);

    // The names SharpPcap itself tries for libpcap.
    private static readonly string[] s_names = ["libpcap.so", "libpcap.so.0", "libpcap.so.0.8", "libpcap.so.1", "libpcap.dylib", "wpcap"];
    private static readonly Lazy<BreakLoopFunction?> s_function = new(Load);

    /// <summary>Asks the device's pending read to return; false where libpcap's function could not be found.</summary>
    public static bool Break(PcapDevice device)
    {
        if (s_function.Value is not { } breakLoop)
        {
            return false;
        }
        bool added = false;
        try
        {
            device.Handle.DangerousAddRef(ref added);
            breakLoop(device.Handle.DangerousGetHandle());
            return true;
        }
        finally
        {
            if (added)
            {
                device.Handle.DangerousRelease();
            }
        }
    }

    private static BreakLoopFunction? Load()
    {
        foreach (string name in s_names)
        {
            if (NativeLibrary.TryLoad(name, out IntPtr library) && NativeLibrary.TryGetExport(library, "pcap_breakloop", out IntPtr function))
            {
                return Marshal.GetDelegateForFunctionPointer<BreakLoopFunction>(function);
            }
        }
        return null;
    }
}
