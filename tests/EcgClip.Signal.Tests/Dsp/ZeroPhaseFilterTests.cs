using EcgClip.Signal.Dsp.Filters;
using EcgClip.Signal.Dsp.Resampling;

namespace EcgClip.Signal.Tests.Dsp;

public class ZeroPhaseFilterTests
{
    private static (double[] X, int Rows, int N) Input()
    {
        var a = DspFixtures.Load("stage_input.npy");
        return (a.As<double>(), a.Shape[0], a.Shape[1]);
    }

    private static void CheckRows(Func<double[], double[]> f, string fixture, double tol)
    {
        var (x, rows, n) = Input();
        double[] expected = DspFixtures.Load(fixture).As<double>();
        for (int r = 0; r < rows; r++)
        {
            double[] y = f(x.AsSpan(r * n, n).ToArray());
            double err = DspFixtures.MaxAbsDiff(y, expected.AsSpan(r * y.Length, y.Length));
            Assert.True(err <= tol, $"{fixture} row {r}: max error {err}");
        }
    }

    [Fact]
    public void SosFiltFilt_BandpassOrder4_MatchesScipy() =>
        CheckRows(x => ZeroPhaseFilter.SosFiltFilt(FilterDesign.Butter(4, [0.5, 40], FilterBandType.BandPass, 500), x), "sosfiltfilt_bandpass.npy", 1e-10);

    [Fact]
    public void SosFiltFilt_HighpassOrder3_MatchesScipy() =>
        CheckRows(x => ZeroPhaseFilter.SosFiltFilt(FilterDesign.Butter(3, [0.5], FilterBandType.HighPass, 500), x), "sosfiltfilt_highpass3.npy", 1e-10);

    [Fact]
    public void SosFiltFilt_LowpassOrder5_MatchesScipy() =>
        CheckRows(x => ZeroPhaseFilter.SosFiltFilt(FilterDesign.Butter(5, [100], FilterBandType.LowPass, 500), x), "sosfiltfilt_lowpass5.npy", 1e-10);

    [Fact]
    public void FiltFilt_Notch50_MatchesScipy() =>
        CheckRows(x => ZeroPhaseFilter.FiltFilt(FilterDesign.IirNotch(50, 30, 500), x), "filtfilt_notch.npy", 1e-10);

    [Fact]
    public void SosFiltFilt_SignalNotLongerThanPad_ThrowsNamingPadLength()
    {
        var sos = FilterDesign.Butter(4, [0.5, 40], FilterBandType.BandPass, 500);
        var ex = Assert.Throws<ArgumentException>(() => ZeroPhaseFilter.SosFiltFilt(sos, new double[27]));
        Assert.Contains("pad length 27", ex.Message);
    }

    [Fact]
    public void ResamplePoly_CommonEcgRates_MatchScipy()
    {
        var (x, _, _) = Input();
        double[] xr = x.AsSpan(0, 1000).ToArray();
        foreach (var c in DspFixtures.Design.GetProperty("resample").EnumerateArray())
        {
            int from = c.GetProperty("from").GetInt32(), to = c.GetProperty("to").GetInt32();
            double[] expected = DspFixtures.Load(c.GetProperty("file").GetString()!).As<double>();
            double[] y = PolyphaseResampler.ForRates(from, to).Apply(xr);
            Assert.Equal(expected.Length, y.Length);
            double err = DspFixtures.MaxAbsDiff(y, expected);
            Assert.True(err <= 1e-12, $"{from} -> {to} Hz: max error {err}");
        }
    }

    [Fact]
    public void ResamplePoly_EqualRates_ReturnsCopy()
    {
        var r = new PolyphaseResampler(3, 3);
        Assert.True(r.IsIdentity);
        Assert.Equal([1.0, 2.0, 3.0], r.Apply([1.0, 2.0, 3.0]));
    }
}
