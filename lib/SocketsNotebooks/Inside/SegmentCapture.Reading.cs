using System.Runtime.InteropServices;
using SharpPcap;
using SharpPcap.LibPcap;

namespace SocketsNotebooks.Inside;

// Opening the interface and the reader thread: libpcap's side of a capture.
public sealed partial class SegmentCapture
{
    private static LibPcapLiveDevice Open(string interfaceName, int snapLength)
    {
        // A fresh list, not the shared Instance: each capture needs a device object (a libpcap handle) of its own,
        // and the list is read in the calling thread's network namespace (NetworkNamespace relies on that).
        var device = LibPcapLiveDeviceList.New().FirstOrDefault(d => d.Name == interfaceName)
            ?? throw new InvalidOperationException($"libpcap sees no interface named {interfaceName} here");
        device.Open(new DeviceConfiguration
        {
            Snaplen = snapLength,
            Immediate = true,
            ReadTimeout = ReadTimeoutMs,
            // A ring of 16 MiB: a bulk transfer on loopback outruns the default 2 MiB while frames are decoded.
            BufferSize = 16 * 1024 * 1024,
        });
        return device;
    }

    private void ReadFrames(bool untilEmpty)
    {
        IntPtr header = IntPtr.Zero, data = IntPtr.Zero;
        int breaks = 0;
        while (untilEmpty || !_stopping)
        {
            // pcap_next_ex: 1 a frame, 0 the read timeout passed (or, non-blocking, nothing left), -2 pcap_breakloop
            // (Stop), -1 an error. A break the reader thread did not consume (it was busy with a frame when Stop
            // came) is still pending for the drain: skip it there, once or twice, and go on reading. A pending break is noticed after a frame was taken from the ring: pcap_next_ex then returns -2, yet its
            // callback has already pointed header and data at that frame, and the frame is gone from the ring. Keep it.
            header = IntPtr.Zero;
            data = IntPtr.Zero;
            int result = _device.GetNextPacketPointers(ref header, ref data);
            bool delivered = result == 1 || (result == -2 && header != IntPtr.Zero && data != IntPtr.Zero);
            if (delivered)
            {
                Keep(header, data);
            }
            if (untilEmpty && result == -2 && ++breaks <= 2)
            {
                continue;
            }
            if (result < 0 || (untilEmpty && result == 0))
            {
                break;
            }
        }
    }

    private void Keep(IntPtr header, IntPtr data)
    {
        var pcapHeader = PcapHeader.FromPointer(header, _device.TimestampResolution);
        var bytes = new byte[pcapHeader.CaptureLength];
        Marshal.Copy(data, bytes, 0, bytes.Length);
        try
        {
            Add(new CapturedFrame(pcapHeader.Timeval.Value, _device.LinkType, bytes, (int)pcapHeader.PacketLength));
        }
        catch (Exception e) when (e is ArgumentException or IndexOutOfRangeException or InvalidOperationException)
        {
            // A frame PacketDotNet cannot decode must not end the capture (or the process: this is a thread
            // of its own): it is kept for the .pcap and counted.
            Interlocked.Increment(ref _undecoded);
        }
    }

    private void Add(CapturedFrame frame)
    {
        List<TaskCompletionSource> woken = [];
        lock (_gate)
        {
            _frames.Add(frame);
            // The filter is set just after the interface opens: a frame of another port may slip in between.
            if (_decoder.Add(frame) is { } segment && (segment.Source.EndsWith(_portSuffix, StringComparison.Ordinal)
                || segment.Destination.EndsWith(_portSuffix, StringComparison.Ordinal)))
            {
                _segments.Add(segment);
            }
            for (int i = _waiters.Count - 1; i >= 0; i--)
            {
                if (_waiters[i].Done(_segments))
                {
                    woken.Add(_waiters[i].Signal);
                    _waiters.RemoveAt(i);
                }
            }
        }
        foreach (var signal in woken)
        {
            signal.TrySetResult();
        }
    }
}
