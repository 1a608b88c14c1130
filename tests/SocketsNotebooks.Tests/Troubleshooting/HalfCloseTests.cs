using SocketsNotebooks.Tracing;
using SocketsNotebooks.Troubleshooting;

namespace SocketsNotebooks.Tests.Troubleshooting;

public sealed class HalfCloseTests
{
    [Fact]
    public void Run_ClientShutsDownSend_ServerReadsZeroThenStillAnswers()
    {
        var trace = new Trace();

        var result = HalfClose.Run(trace, "Hello, world", "answer after FIN");

        Assert.Equal("b'Hello, world'", result.ServerReceived);
        Assert.Equal(0, result.ServerLastRecv);
        Assert.Equal("b'answer after FIN'", result.ClientReceived);
        // The order on the wire: the client's shutdown came before the server's answer was sent.
        var shutdown = Assert.Single(trace.Events, e => e.Kind == TraceKind.Shutdown);
        Assert.True(trace.Sends(Side.Server).All(send => send.Seq > shutdown.Seq));
        Assert.Contains(trace.Recvs(Side.Server), e => e.Moved == 0);
    }
}
