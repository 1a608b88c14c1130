using System.Net.Sockets;

namespace SocketsNotebooks.Tracing;

// Sending and receiving: every call becomes one Send or Recv event, so a chart can show
// how TCP cut the stream, and failures are recorded before they propagate.
public sealed partial class TracedSocket
{
    /// <summary><c>send()</c>: hands bytes to the OS and returns how many it took, which may be fewer than given.</summary>
    public int Send(ReadOnlySpan<byte> data)
    {
        int sent;
        try
        {
            sent = Socket.Send(data);
        }
        catch (SocketException e)
        {
            RecordError(e);
            throw;
        }
        Trace.Record(Conn, Side, TraceKind.Send, data.Length, data[..sent]);
        return sent;
    }

    /// <summary>
    /// <c>send()</c> that reports a failure in <paramref name="errorCode"/> instead of throwing, like the
    /// BCL's overload. A non-blocking server that sends without first waiting for write-readiness uses
    /// it: there a full send buffer (<see cref="SocketError.WouldBlock"/>, nothing taken) is an answer,
    /// not an accident, and an exception would cost more than the send. A failure is recorded as an
    /// error, as <see cref="Send(ReadOnlySpan{byte})"/> records it.
    /// </summary>
    public int Send(ReadOnlySpan<byte> data, SocketFlags flags, out SocketError errorCode)
    {
        int sent = Socket.Send(data, flags, out errorCode);
        if (errorCode != SocketError.Success)
        {
            RecordError(new SocketException((int)errorCode));
            return 0;
        }
        Trace.Record(Conn, Side, TraceKind.Send, data.Length, data[..sent]);
        return sent;
    }

    /// <summary><c>send()</c> of a whole array (one call; see <see cref="SendAll(ReadOnlySpan{byte})"/>).</summary>
    public int Send(byte[] data) => Send(data.AsSpan());

    /// <summary>
    /// <c>sendall()</c>: calls <see cref="Send(ReadOnlySpan{byte})"/> until every byte is taken.
    /// Each underlying call is recorded, so a trace shows when the OS took less than asked.
    /// </summary>
    public void SendAll(ReadOnlySpan<byte> data)
    {
        while (!data.IsEmpty)
        {
            data = data[Send(data)..];
        }
    }

    /// <summary><c>sendall()</c> of a whole array.</summary>
    public void SendAll(byte[] data) => SendAll(data.AsSpan());

    /// <summary><c>recv()</c> into a buffer: returns how many bytes arrived, 0 when the peer closed (FIN).</summary>
    public int Receive(Span<byte> buffer)
    {
        int received;
        try
        {
            received = Socket.Receive(buffer);
        }
        catch (SocketException e)
        {
            RecordError(e);
            throw;
        }
        Trace.Record(Conn, Side, TraceKind.Recv, buffer.Length, buffer[..received]);
        return received;
    }

    /// <summary><c>recv()</c> into an array.</summary>
    public int Receive(byte[] buffer) => Receive(buffer.AsSpan());

    /// <summary>Python's <c>recv(bufsize)</c>: up to <paramref name="bufferSize"/> bytes, an empty array when the peer closed.</summary>
    public byte[] Receive(int bufferSize)
    {
        var buffer = new byte[bufferSize];
        int received = Receive(buffer.AsSpan());
        return buffer[..received];
    }

    /// <summary><c>recv()</c> that gives up when <paramref name="cancellationToken"/> fires.</summary>
    public async Task<int> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        int received = await TracedAsync(() => Socket.ReceiveAsync(buffer, SocketFlags.None, cancellationToken).AsTask())
            .ConfigureAwait(false);
        Trace.Record(Conn, Side, TraceKind.Recv, buffer.Length, buffer.Span[..received]);
        return received;
    }

    /// <summary><c>send()</c> that gives up when <paramref name="cancellationToken"/> fires.</summary>
    public async Task<int> SendAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default)
    {
        int sent = await TracedAsync(() => Socket.SendAsync(data, SocketFlags.None, cancellationToken).AsTask())
            .ConfigureAwait(false);
        Trace.Record(Conn, Side, TraceKind.Send, data.Length, data.Span[..sent]);
        return sent;
    }

    /// <summary><c>sendall()</c> that gives up when <paramref name="cancellationToken"/> fires.</summary>
    public async Task SendAllAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default)
    {
        while (!data.IsEmpty)
        {
            data = data[await SendAsync(data, cancellationToken).ConfigureAwait(false)..];
        }
    }

    private void RecordError(SocketException e) => RecordError($"{e.SocketErrorCode}: {e.Message}");

    private void Traced(Action call)
    {
        try
        {
            call();
        }
        catch (SocketException e)
        {
            RecordError(e);
            throw;
        }
    }

    private T Traced<T>(Func<T> call)
    {
        try
        {
            return call();
        }
        catch (SocketException e)
        {
            RecordError(e);
            throw;
        }
    }

    private async Task<T> TracedAsync<T>(Func<Task<T>> call)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (SocketException e)
        {
            RecordError(e);
            throw;
        }
    }
}
