using EcgClip.Eval.Plots;
using EcgClip.Eval.Saliency;
using EcgClip.Signal.Datasets;
using EcgClip.Signal.Records;

namespace EcgClip.Eval.Tests.Plots;

public sealed class EcgPaperPlotTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("ecgclip-paper-").FullName;

    public void Dispose()
    {
        try { Directory.Delete(_dir, true); } catch (IOException) { }
    }

    private static EcgRecord Record1() => EmbeddedPtbXl.Load().LoadRecord(EmbeddedPtbXl.Load().Items[0]);

    [Fact]
    public void Save_PtbXlRecord_PngOfTheClinicalSizeWithInk()
    {
        string png = Path.Combine(_dir, "ecg.png");
        EcgPaperPlot.Save(png, Record1(), new EcgPaperPlotOptions { Title = "PTB-XL 00001_lr" });
        byte[] bytes = File.ReadAllBytes(png);
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], bytes[..4]);
        int width = (bytes[16] << 24) | (bytes[17] << 16) | (bytes[18] << 8) | bytes[19];
        int height = (bytes[20] << 24) | (bytes[21] << 16) | (bytes[22] << 8) | bytes[23];
        Assert.Equal((int)Math.Round((7 + 250) * 6.0), width);   // calibration room + 10 s at 25 mm/s, 6 px/mm
        Assert.Equal(4 * 30 * 6 + 40, height);                    // four rows of 30 mm + title
        Assert.True(bytes.Length > 50_000, $"PNG of {bytes.Length} bytes looks empty");
        if (Environment.GetEnvironmentVariable("ECGCLIP_KEEP_PLOTS") is { Length: > 0 } keep) File.Copy(png, Path.Combine(keep, "ecg-paper.png"), true);
    }

    [Fact]
    public void Save_WithSaliencyAndAsSvg_WritesBoth()
    {
        var rec = Record1();
        var values = new float[12 * 1000];
        for (int t = 550; t < 650; t++) values[6 * 1000 + t] = 1f; // V1, 5.5–6.5 s: inside V1's column (5–7.5 s) of the grid
        var map = new SaliencyMap("integrated_gradients", 1, 12, 1000, values);
        string png = Path.Combine(_dir, "sal.png"), svg = Path.Combine(_dir, "sal.svg");
        string plain = Path.Combine(_dir, "plain.png");
        EcgPaperPlot.Save(png, rec, saliency: map);
        EcgPaperPlot.Save(svg, rec, saliency: map);
        EcgPaperPlot.Save(plain, rec);
        Assert.True(new FileInfo(png).Length > 50_000);
        Assert.NotEqual(File.ReadAllBytes(plain), File.ReadAllBytes(png)); // the shading was drawn
        string text = File.ReadAllText(svg);
        Assert.Contains("<svg", text);
        Assert.Contains("V1", text);
        if (Environment.GetEnvironmentVariable("ECGCLIP_KEEP_PLOTS") is { Length: > 0 } keep) File.Copy(png, Path.Combine(keep, "ecg-paper-saliency.png"), true);
    }

    [Theory]
    [InlineData("x.jpg")]
    [InlineData("x")]
    public void Save_UnsupportedExtension_ThrowsNamingFile(string name)
    {
        var ex = Assert.Throws<ArgumentException>(() => EcgPaperPlot.Save(Path.Combine(_dir, name), Record1()));
        Assert.Contains(name, ex.Message);
    }

    [Fact]
    public void Save_SaliencyWithWrongLeadCount_Throws()
    {
        var map = new SaliencyMap("gradient", 1, 3, 1000, new float[3000]);
        Assert.Throws<ArgumentException>(() => EcgPaperPlot.Save(Path.Combine(_dir, "x.png"), Record1(), saliency: map));
    }
}
