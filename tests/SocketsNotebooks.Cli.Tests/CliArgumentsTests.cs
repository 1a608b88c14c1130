using System.Net;

namespace SocketsNotebooks.Cli.Tests;

public sealed class CliArgumentsTests
{
    [Fact]
    public async Task Resolve_EmptyHost_EveryInterfaceWithAWarning()
    {
        var endPoint = await CliArguments.ResolveAsync("", 65432);

        Assert.Equal(new IPEndPoint(IPAddress.Any, 65432), endPoint);
        Assert.Contains("every interface", CliArguments.EveryInterfaceWarning(endPoint), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("localhost")]
    [InlineData(CliArguments.DefaultHost)]
    public async Task Resolve_LocalhostOrDefault_LoopbackWithoutWarning(string host)
    {
        var endPoint = await CliArguments.ResolveAsync(host, 65432);

        Assert.Equal(IPAddress.Loopback, endPoint.Address);
        Assert.Null(CliArguments.EveryInterfaceWarning(endPoint));
    }
}
