namespace SocketsNotebooks.Inside;

/// <summary>
/// <c>sockets capture</c>'s work: capture one port on loopback for a while, like <c>tcpdump -i lo -w FILE 'tcp port N'</c>
/// left running in a terminal, then hand back the ladder and write the .pcap.
/// </summary>
public static class CaptureSession
{
    /// <summary>
    /// Captures <c>tcp port <paramref name="port"/></c> on loopback for <paramref name="duration"/> (or until
    /// <paramref name="cancellationToken"/> fires, e.g. Ctrl+C), writes the frames to <paramref name="pcapPath"/>
    /// when given, and returns the ladder, every segment sent to <paramref name="port"/> counting as a client's.
    /// Throws <see cref="InvalidOperationException"/> with <see cref="CaptureRights.HowToAllow"/> where this
    /// process may not capture.
    /// </summary>
    /// <param name="port">The port to capture.</param>
    /// <param name="duration">How long to capture.</param>
    /// <param name="pcapPath">Where to write the frames, or null.</param>
    /// <param name="started">Called once the capture runs (a terminal says so then, and a test may begin).</param>
    /// <param name="cancellationToken">Ends the capture early; what was captured is kept.</param>
    public static async Task<Ladder> RecordAsync(int port, TimeSpan duration, string? pcapPath = null, Action? started = null,
        CancellationToken cancellationToken = default)
    {
        var rights = SegmentCapture.Check();
        if (!rights.CanCapture)
        {
            throw new InvalidOperationException($"{rights}\n{CaptureRights.HowToAllow}");
        }
        var capture = SegmentCapture.Start(port);
        try
        {
            started?.Invoke();
            // The capture's length is what the user asked for: this wait is the experiment, not a synchronisation.
            await Task.Delay(duration, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Ctrl+C ends the capture early; what was captured until then is kept.
        }
        finally
        {
            capture.Stop();
        }
        if (pcapPath is not null)
        {
            capture.Save(pcapPath);
        }
        return Ladder.From(capture.Segments, port);
    }
}
