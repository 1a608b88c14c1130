using System.Net.Sockets;
using SocketsNotebooks.Tracing;

namespace SocketsNotebooks.Concurrency;

/// <summary>
/// One accepted connection of an <see cref="EchoModelServer"/>: a traced socket when the server was
/// given a trace, a plain one when not. Every call asks which once, so an untraced server pays
/// nothing per call for the tracing it does not do.
/// </summary>
internal sealed class ServedConnection
{
    public ServedConnection(Socket socket)
    {
        Socket = socket;
    }

    public ServedConnection(TracedSocket traced)
    {
        Socket = traced.Socket;
        Traced = traced;
    }

    public Socket Socket { get; }

    public TracedSocket? Traced { get; }

    public int Receive(Span<byte> buffer) => Traced is { } traced ? traced.Receive(buffer) : Socket.Receive(buffer);

    public void SendAll(ReadOnlySpan<byte> data)
    {
        if (Traced is { } traced)
        {
            traced.SendAll(data);
            return;
        }
        while (!data.IsEmpty)
        {
            data = data[Socket.Send(data)..];
        }
    }

    // No cancellation token: Stop() closes the socket, which ends a pending call just as well and
    // costs no registration per call.
    public ValueTask<int> ReceiveAsync(Memory<byte> buffer) =>
        Traced is { } traced ? new(traced.ReceiveAsync(buffer)) : Socket.ReceiveAsync(buffer, SocketFlags.None);

    public ValueTask<int> SendAsync(ReadOnlyMemory<byte> data) =>
        Traced is { } traced ? new(traced.SendAsync(data)) : Socket.SendAsync(data, SocketFlags.None);
}
