using System.Net;
using System.Net.Sockets;
using SocketsNotebooks.Concurrency;

namespace SocketsNotebooks.Tests.Concurrency;

// Alone: a load test needs the server it measures to get the cores (and the thread pool) in time.
[Collection(ProcessWideMeasurements.Name)]
public sealed class EchoLoadTests
{
    private static readonly TimeSpan s_long = TimeSpan.FromSeconds(5);

    private static readonly TimeSpan s_short = TimeSpan.FromMilliseconds(100);

    [Fact]
    public async Task Run_AsyncServer_EchoesCountedCorrectAndLatenciesOrdered()
    {
        var server = AsyncEchoServer.Start(name: nameof(Run_AsyncServer_EchoesCountedCorrectAndLatenciesOrdered));
        try
        {
            var result = await EchoLoad.RunAsync(server.EndPoint, 10, s_short, size: 1500, model: "async");

            Assert.Equal(10, result.Connected);
            Assert.Equal(10, result.RequestsPerConnection.Count);
            Assert.True(result.Requests > 0, result.ToString());
            Assert.Equal(result.Requests, result.RequestsPerConnection.Sum());
            Assert.Equal(0, result.Mismatches);
            Assert.Equal(0, result.Failed);
            Assert.True(result.P50Microseconds <= result.P99Microseconds, result.ToString());
            Assert.StartsWith("async, 10 connections: ", result.ToString(), StringComparison.Ordinal);
        }
        finally
        {
            server.Stop();
        }
        // The load closed its sockets with a reset; the server counted them, none is left open.
        Assert.Equal(0, server.OpenConnections);
    }

    [Fact]
    public void Run_BlockingServer_ExactlyOneConnectionServed()
    {
        var server = BlockingEchoServer.Start(name: nameof(Run_BlockingServer_ExactlyOneConnectionServed));
        try
        {
            var result = EchoLoad.Run(server.EndPoint, 5, TimeSpan.FromSeconds(0.5), warmup: s_short);

            Assert.Equal(5, result.Connected);
            Assert.Equal(1, result.Served);
            Assert.Equal(4, result.Starved);
            Assert.Contains("1 of 5 served", result.ToString(), StringComparison.Ordinal);
        }
        finally
        {
            server.Stop();
        }
    }

    [Fact]
    public void Run_ServerClosesAtOnce_EveryConnectionFailedNoLatency()
    {
        var server = AsyncEchoServer.Start(name: nameof(Run_ServerClosesAtOnce_EveryConnectionFailedNoLatency), handler: (_, _) => Task.CompletedTask);
        try
        {
            // Long bounds, but the run ends as soon as the server has closed every connection.
            var result = EchoLoad.Run(server.EndPoint, 4, s_long, warmup: s_long);

            Assert.Equal(4, result.Failed);
            Assert.Equal(0, result.Requests);
            Assert.Null(result.P50Microseconds);
            Assert.Null(result.P99Microseconds);
        }
        finally
        {
            server.Stop();
        }
    }

    [Fact]
    public void Run_ServerChangesTheBytes_MismatchesCountedNotRequests()
    {
        var server = AsyncEchoServer.Start(name: nameof(Run_ServerChangesTheBytes_MismatchesCountedNotRequests), handler: async (socket, stop) =>
        {
            var buffer = new byte[1024];
            int n;
            while ((n = await socket.ReceiveAsync(buffer, SocketFlags.None, stop)) > 0)
            {
                buffer[0] ^= 0xFF;
                await socket.SendAsync(buffer.AsMemory(0, n), SocketFlags.None, stop);
            }
        });
        try
        {
            var result = EchoLoad.Run(server.EndPoint, 2, s_short, size: 64, warmup: TimeSpan.Zero);

            Assert.True(result.Mismatches > 0, result.ToString());
            Assert.Equal(0, result.Requests);
        }
        finally
        {
            server.Stop();
        }
    }

    [Fact]
    public void Run_NobodyListening_NoConnectionAndNothingMeasured()
    {
        IPEndPoint dead;
        using (var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
        {
            probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            dead = (IPEndPoint)probe.LocalEndPoint!;
        }

        var result = EchoLoad.Run(dead, 3, s_short, warmup: TimeSpan.Zero);

        Assert.Equal(0, result.Connected);
        Assert.Equal(0, result.Requests);
    }

    [Fact]
    public void Run_OutOfBounds_Refused()
    {
        var somewhere = new IPEndPoint(IPAddress.Loopback, 9);
        Assert.Throws<ArgumentOutOfRangeException>(() => EchoLoad.Run(somewhere, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => EchoLoad.Run(somewhere, EchoLoad.MaxConnections + 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => EchoLoad.Run(somewhere, 1, TimeSpan.FromMinutes(5)));
        Assert.Throws<ArgumentOutOfRangeException>(() => EchoLoad.Run(somewhere, 1, size: 0));
    }
}
