using System.Text.RegularExpressions;
using SocketsNotebooks.Charts;

namespace SocketsNotebooks.Tests.Charts;

public sealed class PlotlyJsTests
{
    [Fact]
    public void Version_Pinned_Is370()
    {
        Assert.Equal("3.7.0", PlotlyJs.Version);
    }

    [Fact]
    public void CdnUrl_Version_OfficialCdnCopyOfTheSameFile()
    {
        Assert.Equal("https://cdn.plot.ly/plotly-3.7.0.min.js", PlotlyJs.CdnUrl);
    }

    [Fact]
    public void Source_EmbeddedFile_IsPlotlyJsOfTheSameVersion()
    {
        string source = PlotlyJs.Source;

        // The minified bundle opens with its licence header, which names its version.
        Assert.StartsWith("/**", source, StringComparison.Ordinal);
        Assert.Equal(PlotlyJs.Version, Regex.Match(source[..200], @"plotly\.js v(?<version>\d+\.\d+\.\d+)").Groups["version"].Value);
        Assert.Contains("window.Plotly = Plotly;", source[^2000..], StringComparison.Ordinal);
        Assert.True(source.Length > 1_000_000);
    }

    [Fact]
    public void Source_ReadTwice_SameText()
    {
        Assert.Same(PlotlyJs.Source, PlotlyJs.Source);
    }
}
