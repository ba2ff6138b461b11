using System.Text.Json;
using EcgClip.Signal.Dsp.Filters;

namespace EcgClip.Signal.Tests.Dsp;

public class FilterDesignTests
{
    private static FilterBandType Band(string s) => s switch
    {
        "lowpass" => FilterBandType.LowPass,
        "highpass" => FilterBandType.HighPass,
        "bandpass" => FilterBandType.BandPass,
        "bandstop" => FilterBandType.BandStop,
        _ => throw new ArgumentException(s),
    };

    [Fact]
    public void Butter_AllScipyCases_SectionsMatchTo1e10()
    {
        int cases = 0;
        foreach (JsonElement c in DspFixtures.Design.GetProperty("butter").EnumerateArray())
        {
            double[] expected = c.GetProperty("sos").Doubles();
            var sos = FilterDesign.Butter(c.GetProperty("order").GetInt32(), c.GetProperty("cutoffs").Doubles(),
                                          Band(c.GetProperty("btype").GetString()!), c.GetProperty("fs").GetDouble());
            Assert.True(expected.Length == sos.RowMajor.Length, $"{c}: {sos.Count} sections, expected {expected.Length / 6}");
            double err = DspFixtures.MaxAbsDiff(sos.RowMajor, expected);
            Assert.True(err <= 1e-10, $"{c.GetProperty("btype")} order {c.GetProperty("order")} fs {c.GetProperty("fs")}: max error {err}");
            cases++;
        }
        Assert.True(cases > 100);
    }

    [Fact]
    public void IirNotch_ScipyCases_MatchTo1e12()
    {
        foreach (JsonElement c in DspFixtures.Design.GetProperty("iirnotch").EnumerateArray())
        {
            var tf = FilterDesign.IirNotch(c.GetProperty("f0").GetDouble(), c.GetProperty("q").GetDouble(), c.GetProperty("fs").GetDouble());
            Assert.True(DspFixtures.MaxAbsDiff(tf.B, c.GetProperty("b").Doubles()) <= 1e-12);
            Assert.True(DspFixtures.MaxAbsDiff(tf.A, c.GetProperty("a").Doubles()) <= 1e-12);
        }
    }

    [Fact]
    public void FirWinKaiser_ScipyCases_MatchTo1e12()
    {
        foreach (JsonElement c in DspFixtures.Design.GetProperty("firwin").EnumerateArray())
        {
            double[] h = FilterDesign.FirWinKaiser(c.GetProperty("numtaps").GetInt32(), c.GetProperty("cutoff").GetDouble(), c.GetProperty("beta").GetDouble());
            double err = DspFixtures.MaxAbsDiff(h, c.GetProperty("h").Doubles());
            Assert.True(err <= 1e-12, $"firwin {c.GetProperty("numtaps")}: {err}");
        }
    }

    [Theory]
    [InlineData(250.0)]
    [InlineData(300.0)]
    [InlineData(0.0)]
    [InlineData(-1.0)]
    public void Butter_CutoffNotBelowNyquist_ThrowsNamingNyquist(double cutoff)
    {
        var ex = Assert.Throws<ArgumentException>(() => FilterDesign.Butter(4, [cutoff], FilterBandType.LowPass, 500));
        Assert.Contains("Nyquist", ex.Message);
    }

    [Fact]
    public void Butter_BandEdgesDescending_Throws() =>
        Assert.Throws<ArgumentException>(() => FilterDesign.Butter(4, [40, 0.5], FilterBandType.BandPass, 500));

    [Fact]
    public void IirNotch_AboveNyquist_Throws() =>
        Assert.Throws<ArgumentException>(() => FilterDesign.IirNotch(300, 30, 500));

    [Fact]
    public void DefaultPadLength_BandpassOrder4_Is27() =>
        Assert.Equal(27, FilterDesign.Butter(4, [0.5, 40], FilterBandType.BandPass, 500).DefaultPadLength);
}
