using SharpPcap;
using SharpPcap.LibPcap;
using SocketsNotebooks.Troubleshooting;

namespace SocketsNotebooks.Inside;

/// <summary>
/// Captures the TCP segments of one port on the loopback interface while an experiment runs, as
/// <c>tcpdump -i lo 'tcp port N'</c> would: libpcap through SharpPcap, one frame per segment (libpcap keeps
/// one copy of what loopback carries twice), each decoded by PacketDotNet as it arrives. Needs libpcap and the
/// right to capture (<see cref="Check"/>); <see cref="Stop"/> ends it and can write the frames as a .pcap.
/// </summary>
public sealed partial class SegmentCapture : IAsyncDisposable, IDisposable
{
    /// <summary>Bytes kept of each frame: tcpdump's default, more than a 64 KiB loopback segment.</summary>
    public const int SnapLength = 262_144;

    // Where libpcap honours a read timeout, the longest one read waits before looking at the stop flag
    // (on Linux in immediate mode it waits for the next frame, and Stop wakes it with pcap_breakloop).
    private const int ReadTimeoutMs = 20;

    private readonly LibPcapLiveDevice _device;
    private readonly object _gate = new();
    private readonly List<CapturedFrame> _frames = [];
    private readonly List<TcpSegment> _segments = [];
    private readonly SegmentDecoder _decoder = new();
    private readonly List<(Func<IReadOnlyList<TcpSegment>, bool> Done, TaskCompletionSource Signal)> _waiters = [];
    private readonly Thread _reader;
    private readonly string _portSuffix;
    private readonly int _snapLength;
    private volatile bool _stopping;
    private int _undecoded;
    private IReadOnlyList<TcpSegment>? _result;

    private SegmentCapture(LibPcapLiveDevice device, int port, int snapLength)
    {
        _device = device;
        _snapLength = snapLength;
        Port = port;
        _portSuffix = $":{port}";
        _reader = new Thread(() => ReadFrames(untilEmpty: false)) { IsBackground = true, Name = $"capture tcp port {port}" };
        _reader.Start();
        InsideLab.Started(this);
    }

    /// <summary>The port whose segments are captured (either end of a connection).</summary>
    public int Port { get; }

    /// <summary>Whether the capture still runs (until <see cref="Stop"/>).</summary>
    public bool IsRunning => _result is null;

    /// <summary>Frames the kernel had to drop because the capture's ring was full (known once stopped): they are missing from <see cref="Segments"/>.</summary>
    public long KernelDropped { get; private set; }

    /// <summary>Frames the kernel handed to the capture, as its statistics count them (known once stopped).</summary>
    public long KernelReceived { get; private set; }

    /// <summary>Frames captured that could not be decoded as TCP (they are still written to the .pcap).</summary>
    public int Undecoded => Volatile.Read(ref _undecoded);

    /// <summary>The segments captured so far.</summary>
    public IReadOnlyList<TcpSegment> Segments
    {
        get
        {
            lock (_gate)
            {
                return _segments.ToArray();
            }
        }
    }

    /// <summary>
    /// Whether this process may capture on loopback here: libpcap loads, the interface exists, and the kernel
    /// lets it open a packet socket. It opens the interface once and closes it again.
    /// </summary>
    public static CaptureRights Check(string interfaceName = "lo")
    {
        try
        {
            using var device = Open(interfaceName, SnapLength);
            return new CaptureRights(true, $"{Pcap.LibpcapVersion} on {interfaceName}");
        }
        catch (Exception e) when (e is DllNotFoundException or TypeInitializationException)
        {
            return new CaptureRights(false, "libpcap is not installed (Debian/Ubuntu: libpcap0.8)");
        }
        catch (PcapException e)
        {
            return new CaptureRights(false, $"the kernel refused to open {interfaceName} for capture: {e.Message}");
        }
        catch (InvalidOperationException e)
        {
            return new CaptureRights(false, e.Message);
        }
    }

    /// <summary>
    /// Starts capturing <c>tcp port <paramref name="port"/></c> on <paramref name="interfaceName"/>. When this
    /// returns the kernel is already handing frames over, so the experiment may begin. Throws
    /// <see cref="PcapException"/> without the right to capture (see <see cref="Check"/>).
    /// </summary>
    /// <param name="port">The port; segments to or from it are kept.</param>
    /// <param name="interfaceName">The interface, loopback by default.</param>
    /// <param name="snapLength">Bytes kept of each frame (128 keeps the headers only, as <c>tcpdump -s 128</c>).</param>
    public static SegmentCapture Start(int port, string interfaceName = "lo", int snapLength = SnapLength)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(port, 1, nameof(port));
        ArgumentOutOfRangeException.ThrowIfLessThan(snapLength, 68, nameof(snapLength));
        var device = Open(interfaceName, snapLength);
        try
        {
            device.Filter = $"tcp port {port}";
            return new SegmentCapture(device, port, snapLength);
        }
        catch
        {
            device.Close();
            throw;
        }
    }

    /// <summary>
    /// Completes once the segments captured so far satisfy <paramref name="done"/> (checked after every frame);
    /// throws <see cref="TimeoutException"/> after <paramref name="timeout"/>.
    /// </summary>
    public Task WaitForAsync(Func<IReadOnlyList<TcpSegment>, bool> done, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(done);
        var signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            if (done(_segments))
            {
                return Task.CompletedTask;
            }
            _waiters.Add((done, signal));
        }
        return signal.Task.WaitAsync(timeout);
    }

    /// <summary>
    /// Stops the capture (within a few milliseconds) and returns every segment; with <paramref name="pcapPath"/>,
    /// also writes the frames there as a classic .pcap that tcpdump and Wireshark read. Safe to call twice.
    /// </summary>
    public IReadOnlyList<TcpSegment> Stop(string? pcapPath = null)
    {
        if (_result is null)
        {
            _stopping = true;
            PcapBreakLoop.Break(_device);
            _reader.Join();
            // Whatever the kernel had put in the ring before Stop is part of the capture: read it without waiting.
            _device.NonBlockingMode = true;
            ReadFrames(untilEmpty: true);
            var statistics = _device.Statistics;
            KernelDropped = statistics.DroppedPackets;
            KernelReceived = statistics.ReceivedPackets;
            _device.Close();
            InsideLab.Stopped(this);
            _result = Segments;
        }
        if (pcapPath is not null)
        {
            Save(pcapPath);
        }
        return _result;
    }

    /// <summary>Writes what was captured so far as a classic .pcap file.</summary>
    public void Save(string pcapPath)
    {
        CapturedFrame[] frames;
        lock (_gate)
        {
            frames = [.. _frames];
        }
        PcapFile.Write(pcapPath, frames, snapLength: _snapLength);
    }

    /// <inheritdoc/>
    public void Dispose() => Stop();

    /// <inheritdoc/>
    public ValueTask DisposeAsync()
    {
        Stop();
        return ValueTask.CompletedTask;
    }
}
