using System.Net;
using System.Net.Sockets;
using System.Text;
using SocketsNotebooks.Troubleshooting;

namespace SocketsNotebooks.Tests.Troubleshooting;

public sealed class TroubleshootingExercisesTests
{
    [Fact]
    public void CheckHalfCloseClient_ReferenceSolution_Passes()
    {
        // A right answer comes back in milliseconds; the generous limit only keeps a busy CI machine from failing it.
        string verdict = TroubleshootingExercises.CheckHalfCloseClient(TroubleshootingExercises.ReferenceHalfCloseClient, TimeSpan.FromSeconds(10));

        Assert.StartsWith("✅", verdict, StringComparison.Ordinal);
    }

    [Fact]
    public void CheckHalfCloseClient_ClientWithoutShutdown_FailsAndNamesShutdown()
    {
        static string NoShutdown(IPEndPoint server, string request)
        {
            using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            client.Connect(server);
            client.Send(Encoding.UTF8.GetBytes(request));
            var buffer = new byte[1024];
            int received = client.Receive(buffer); // waits for an answer the server will not send before our FIN
            return Encoding.UTF8.GetString(buffer, 0, received);
        }

        string verdict = TroubleshootingExercises.CheckHalfCloseClient(NoShutdown, TimeSpan.FromMilliseconds(300));

        Assert.StartsWith("❌", verdict, StringComparison.Ordinal);
        Assert.Contains("Shutdown(SocketShutdown.Send)", verdict, StringComparison.Ordinal);
    }

    [Fact]
    public void CheckHalfCloseClient_ClientThrows_FailsWithTheException()
    {
        string verdict = TroubleshootingExercises.CheckHalfCloseClient((_, _) => throw new InvalidOperationException("not written yet"));

        Assert.Equal("❌ Your client threw InvalidOperationException: not written yet", verdict);
    }

    // The notebook's client with one line added in place of "// your line here".
    private static Func<IPEndPoint, string, string> NotebookClient(Action<SocketsNotebooks.Tracing.TracedSocket> yourLine) => (server, request) =>
    {
        var socket = SocketsNotebooks.Tracing.TracedSocket.Tcp(new SocketsNotebooks.Tracing.Trace(), SocketsNotebooks.Tracing.Side.Client);
        socket.Connect(server);
        socket.ReceiveTimeout = 5000;
        socket.SendAll(Encoding.UTF8.GetBytes(request));
        yourLine(socket);
        var answer = new List<byte>();
        byte[] piece;
        while ((piece = socket.Receive(1024)).Length > 0)
        {
            answer.AddRange(piece);
        }
        socket.Close();
        return Encoding.UTF8.GetString(answer.ToArray());
    };

    [Fact]
    public void CheckHalfCloseClient_CloseInsteadOfShutdown_ExplainsCloseAgainstShutdownSend()
    {
        string verdict = TroubleshootingExercises.CheckHalfCloseClient(NotebookClient(s => s.Close()), TimeSpan.FromSeconds(10));

        Assert.StartsWith("❌ Your client threw ObjectDisposedException", verdict, StringComparison.Ordinal);
        Assert.Contains("Shutdown(SocketShutdown.Send)", verdict, StringComparison.Ordinal);
        Assert.Contains("Close()", verdict, StringComparison.Ordinal);
    }

    [Fact]
    public void CheckHalfCloseClient_ClientReturnsNothing_AsksWhetherItShutDownBoth()
    {
        // What Shutdown(SocketShutdown.Both) usually gives: a client that sent its request and its FIN but
        // read nothing. (The real Shutdown(Both) is not used here: on Linux an answer that arrives before
        // the first recv() is still read, so which verdict it gets depends on timing.)
        string verdict = TroubleshootingExercises.CheckHalfCloseClient((server, request) =>
        {
            using var socket = SocketsNotebooks.Tracing.TracedSocket.Tcp(new SocketsNotebooks.Tracing.Trace(), SocketsNotebooks.Tracing.Side.Client);
            socket.Connect(server);
            socket.SendAll(Encoding.UTF8.GetBytes(request));
            socket.Shutdown(SocketShutdown.Send);
            return "";
        }, TimeSpan.FromSeconds(10));

        Assert.StartsWith("❌ Your client returned nothing", verdict, StringComparison.Ordinal);
        Assert.Contains("SocketShutdown.Both", verdict, StringComparison.Ordinal);
    }

    [Fact]
    public void CheckHalfCloseClient_NotebookClientWithShutdownSend_Passes()
    {
        string verdict = TroubleshootingExercises.CheckHalfCloseClient(NotebookClient(s => s.Shutdown(SocketShutdown.Send)), TimeSpan.FromSeconds(10));

        Assert.StartsWith("✅", verdict, StringComparison.Ordinal);
    }
}
