using System.Text.Json;
using EcgClip.Cli.Infrastructure;
using EcgClip.Testing;

namespace EcgClip.Cli.Tests.Plot;

public sealed class PlotCommandTests
{
    [Theory]
    [InlineData("philips_xml_sierraecg/fixtures/1_04/3191723_ZZDEMOPTONLY_1-04_orig.xml", ".png")]
    [InlineData("ecgtoolkit_examples/Example.xml", ".svg")]
    [InlineData("cinc2021_samples/HR06002.hea", ".png")]
    public void Plot_FixtureFile_WritesImage(string fixture, string ext)
    {
        string dir = Directory.CreateTempSubdirectory("ecgclip-plot").FullName;
        try
        {
            string output = Path.Combine(dir, "ecg" + ext);
            var (code, stdout, stderr) = CliProcess.Run("plot", TestPaths.Fixture(fixture.Split('/')), "--out", output, "--json");
            Assert.True(code == 0, stderr);
            using var doc = JsonDocument.Parse(stdout.Trim().Split('\n')[^1]);
            Assert.Equal(output, doc.RootElement.GetProperty("out").GetString());
            Assert.True(new FileInfo(output).Length > 20_000);
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void Plot_MissingFileOrBadExtension_ExitsBadInputNamingIt()
    {
        var (code, _, stderr) = CliProcess.Run("plot", "/nonexistent/x.hea", "--out", "/tmp/x.png");
        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains("/nonexistent/x", stderr);
        (code, _, stderr) = CliProcess.Run("plot", TestPaths.Fixture("cinc2021_samples", "HR06002.hea"), "--out", "/tmp/x.bmp");
        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains("x.bmp", stderr);
    }
}
