using System.Net;
using System.Net.Sockets;
using SocketsNotebooks.MultiConn;
using SocketsNotebooks.Tracing;

namespace SocketsNotebooks.Tests.MultiConn;

public sealed class MultiConnClientTests
{
    [Fact]
    public void Run_NobodyListening_EveryConnectionConnectFailed()
    {
        EndPoint dead;
        using (var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
        {
            probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            dead = probe.LocalEndPoint!;
        }

        var result = MultiConnClient.Run(dead, 3, new Trace(), options: new MultiConnClientOptions { Timeout = TimeSpan.FromSeconds(5) });

        Assert.Equal(3, result.Connections.Count);
        Assert.All(result.Connections, c => Assert.Equal(CloseReason.ConnectFailed, c.CloseReason));
        Assert.False(result.AllEchoed);
    }

    [Fact]
    public void Run_ServerNeverAnswers_TimesOutWithinLimit()
    {
        var trace = new Trace();
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(8);

        // The OS completes the handshake from the backlog; nobody ever reads or echoes.
        var result = MultiConnClient.Run(listener.LocalEndPoint!, 2, trace,
            options: new MultiConnClientOptions { Timeout = TimeSpan.FromMilliseconds(200), SelectTimeout = TimeSpan.FromMilliseconds(50) });

        Assert.All(result.Connections, c => Assert.Equal(CloseReason.TimedOut, c.CloseReason));
        Assert.InRange(result.ElapsedMs, 150, 3000);
        Assert.Contains(trace.Events, e => e.Kind == TraceKind.Error && e.Note.StartsWith("TimedOut", StringComparison.Ordinal));
    }

    [Fact]
    public void Run_Log_PrintsTutorialSteps()
    {
        var trace = new Trace();
        var server = MultiConnServer.Start(trace, name: nameof(Run_Log_PrintsTutorialSteps));
        var lines = new List<string>();
        try
        {
            var result = MultiConnClient.Run(server.EndPoint, 1, trace, options: new MultiConnClientOptions { Log = lines.Add });

            Assert.True(result.AllEchoed);
            Assert.StartsWith("Starting connection 1 to", lines[0], StringComparison.Ordinal);
            Assert.Contains("Sending b'Message 1 from client.' to connection 1", lines);
            Assert.Contains(lines, l => l.StartsWith("Received b'Message 1", StringComparison.Ordinal));
            Assert.Equal("Closing connection 1", lines[^1]);
        }
        finally
        {
            server.Stop();
        }
    }
}
