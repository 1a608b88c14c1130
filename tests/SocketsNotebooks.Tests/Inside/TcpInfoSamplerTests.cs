using System.Net;
using System.Net.Sockets;
using SocketsNotebooks.Inside;

namespace SocketsNotebooks.Tests.Inside;

[Collection(InsideLabCollection.Name)]
public sealed class TcpInfoSamplerTests
{
    [SkippableFact]
    public void Stop_WhileSampling_SamplesInTimeOrderAndStopped()
    {
        Privileges.RequireLinux();
        var (listener, client, server) = Connected();
        using (listener)
        using (client)
        using (server)
        {
            var sampler = TcpInfoSampler.Start(client, TimeSpan.FromMilliseconds(1));
            client.Send(new byte[1000]);
            sampler.Take();

            var samples = sampler.Stop();

            Assert.False(sampler.IsRunning);
            Assert.True(samples.Count >= 2);
            Assert.Equal(samples.OrderBy(s => s.TimeMs).Select(s => s.TimeMs), samples.Select(s => s.TimeMs));
            Assert.All(samples, s => Assert.Equal("ESTABLISHED", s.Info.StateName));
        }
    }

    [SkippableFact]
    public async Task Completion_SocketClosedUnderIt_EndsByItself()
    {
        Privileges.RequireLinux();
        var (listener, client, server) = Connected();
        using (listener)
        using (server)
        {
            var sampler = TcpInfoSampler.Start(client, TimeSpan.FromMilliseconds(1));

            client.Close();

            await sampler.Completion.WaitAsync(TimeSpan.FromSeconds(5));
            Assert.False(sampler.IsRunning);
            Assert.DoesNotContain(nameof(TcpInfoSampler), InsideLab.Running);
        }
    }

    [SkippableFact]
    public void Start_MaxSamples_StopsAtTheBound()
    {
        Privileges.RequireLinux();
        var (listener, client, server) = Connected();
        using (listener)
        using (client)
        using (server)
        {
            var sampler = TcpInfoSampler.Start(client, TimeSpan.FromMilliseconds(1), maxSamples: 5);

            Assert.True(sampler.Completion.Wait(TimeSpan.FromSeconds(5)));
            Assert.Equal(5, sampler.Samples.Count);
        }
    }

    [SkippableFact]
    public void StopAll_SamplerLeftRunning_Stopped()
    {
        Privileges.RequireLinux();
        var (listener, client, server) = Connected();
        using (listener)
        using (client)
        using (server)
        {
            var sampler = TcpInfoSampler.Start(client);

            InsideLab.StopAll();

            Assert.False(sampler.IsRunning);
        }
    }

    private static (Socket Listener, Socket Client, Socket Server) Connected()
    {
        var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen();
        var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        client.Connect(listener.LocalEndPoint!);
        return (listener, client, listener.Accept());
    }
}
