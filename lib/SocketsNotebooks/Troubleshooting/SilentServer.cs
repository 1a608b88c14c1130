using System.Net;
using System.Net.Sockets;
using SocketsNotebooks.Hosting;
using SocketsNotebooks.Tracing;

namespace SocketsNotebooks.Troubleshooting;

/// <summary>
/// A server that accepts connections and does not read from them, until told to with
/// <see cref="StartReading"/>. Whatever clients send piles up: first in this server's receive buffer
/// (netstat's Recv-Q), then in the client's send buffer (Send-Q), and then the client's <c>send()</c>
/// blocks, or fails with WouldBlock on a non-blocking socket. The tutorial's "full buffers" warning, made visible.
/// </summary>
public sealed class SilentServer : BackgroundServer
{
    private readonly TaskCompletionSource<(int BufferSize, TimeSpan Pause)> _reading =
        new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly object _gate = new();
    private readonly List<(long Count, TaskCompletionSource Done)> _readWaiters = [];
    private long _bytesRead;
    private int _accepted;

    private SilentServer(string name, Trace trace)
        : base(name, trace)
    {
    }

    /// <summary>Connections accepted so far.</summary>
    public int Accepted => Volatile.Read(ref _accepted);

    /// <summary>Bytes read from all connections since <see cref="StartReading"/>.</summary>
    public long BytesRead => Interlocked.Read(ref _bytesRead);

    /// <summary>Whether <see cref="StartReading"/> was called.</summary>
    public bool IsReading => _reading.Task.IsCompleted;

    /// <summary>
    /// Starts a silent server on 127.0.0.1 and a free port (or <paramref name="endPoint"/>). A server already
    /// running under <paramref name="name"/> is stopped first.
    /// </summary>
    public static SilentServer Start(Trace trace, string name = "silent", IPEndPoint? endPoint = null)
    {
        var server = new SilentServer(name, trace);
        server.Start(endPoint ?? new IPEndPoint(IPAddress.Loopback, 0));
        return server;
    }

    /// <summary>
    /// From now on, read every connection (accepted before or after) until its client closes, <paramref name="bufferSize"/>
    /// bytes per <c>recv()</c> at most, waiting <paramref name="pauseBetweenReads"/> after each one, like a slow consumer.
    /// </summary>
    public void StartReading(int bufferSize = 64 * 1024, TimeSpan? pauseBetweenReads = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bufferSize, 1, nameof(bufferSize));
        _reading.TrySetResult((bufferSize, pauseBetweenReads ?? TimeSpan.Zero));
    }

    /// <summary>Completes once <see cref="BytesRead"/> reaches <paramref name="count"/>; throws <see cref="TimeoutException"/> after <paramref name="timeout"/>.</summary>
    public Task WaitForBytesReadAsync(long count, TimeSpan timeout)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            if (BytesRead >= count)
            {
                return Task.CompletedTask;
            }
            _readWaiters.Add((count, done));
        }
        return done.Task.WaitAsync(timeout);
    }

    /// <inheritdoc/>
    protected override async Task RunAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            var connection = Track(await Listener.AcceptAsync(stopping).ConfigureAwait(false));
            Interlocked.Increment(ref _accepted);
            _ = ReadWhenToldAsync(connection, stopping);
        }
    }

    private async Task ReadWhenToldAsync(TracedSocket connection, CancellationToken stopping)
    {
        var reason = CloseReason.PeerClosed;
        string? detail = null;
        try
        {
            var (bufferSize, pause) = await _reading.Task.WaitAsync(stopping).ConfigureAwait(false);
            var buffer = new byte[bufferSize];
            int received;
            while ((received = await connection.ReceiveAsync(buffer, stopping).ConfigureAwait(false)) > 0)
            {
                Read(received);
                if (pause > TimeSpan.Zero)
                {
                    await Task.Delay(pause, stopping).ConfigureAwait(false);
                }
            }
            // FIN: the client is done and everything it sent has been read.
        }
        catch (Exception) when (stopping.IsCancellationRequested)
        {
            reason = CloseReason.Stopped;
        }
        catch (SocketException e) when (e.IsPeerReset())
        {
            (reason, detail) = (CloseReason.PeerReset, e.SocketErrorCode.ToString());
        }
        catch (SocketException e)
        {
            (reason, detail) = (CloseReason.SocketError, e.SocketErrorCode.ToString());
        }
        catch (ObjectDisposedException)
        {
            // Closed under us (Stop() closes every connection): nothing left to say.
            reason = CloseReason.Stopped;
        }
        CloseConnection(connection, reason, detail);
    }

    private void Read(int count)
    {
        long total = Interlocked.Add(ref _bytesRead, count);
        List<TaskCompletionSource> woken = [];
        lock (_gate)
        {
            for (int i = _readWaiters.Count - 1; i >= 0; i--)
            {
                if (total >= _readWaiters[i].Count)
                {
                    woken.Add(_readWaiters[i].Done);
                    _readWaiters.RemoveAt(i);
                }
            }
        }
        foreach (var done in woken)
        {
            done.TrySetResult();
        }
    }
}
