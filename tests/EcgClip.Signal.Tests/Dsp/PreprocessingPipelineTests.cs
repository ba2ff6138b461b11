using EcgClip.Signal.Dsp.Filters;
using EcgClip.Signal.Dsp.Preprocessing;
using EcgClip.Signal.Dsp.Resampling;
using FsCheck;
using FsCheck.Fluent;
using Xunit.Abstractions;

namespace EcgClip.Signal.Tests.Dsp;

public class PreprocessingPipelineTests(ITestOutputHelper output)
{
    private static readonly PreprocessingConfig Issue4 = new()
    {
        SamplingRateHz = 500,
        BandPass = new FrequencyBand(0.5, 40),
        FilterOrder = 4,
        NotchHz = 50,
        NotchQuality = 30,
        ResampleHz = 250,
        Normalization = NormalizationMethod.ZScore,
    };

    private static (double[] X, int Rows, int N) StageInput()
    {
        var a = DspFixtures.Load("stage_input.npy");
        return (a.As<double>(), a.Shape[0], a.Shape[1]);
    }

    private void CheckStage(PreprocessingConfig config, string fixture, string? resampleFixture = null)
    {
        var (x, rows, n) = StageInput();
        if (resampleFixture is not null) { x = x.AsSpan(0, 1000).ToArray(); rows = 1; n = 1000; }
        double[] expected = DspFixtures.Load(resampleFixture ?? fixture).As<double>();
        var p = new PreprocessingPipeline(config);
        var y64 = new double[expected.Length];
        p.Process(x, y64, rows, 1, n);
        double e64 = DspFixtures.MaxAbsDiff(y64, expected);
        var y32 = new float[expected.Length];
        p.Process(x.Select(v => (float)v).ToArray(), y32, rows, 1, n);
        // float32 input rounding is part of the error here, so compare float32 to float32-input float64 results
        var yRef = new double[expected.Length];
        p.Process(x.Select(v => (double)(float)v).ToArray(), yRef, rows, 1, n);
        double e32 = DspFixtures.MaxAbsDiff(y32, yRef);
        output.WriteLine($"{resampleFixture ?? fixture}: float64 max |ours - scipy| = {e64:E2}; float32 vs float64 = {e32:E2}");
        Assert.True(e64 <= 1e-9, $"float64 error {e64}");
        Assert.True(e32 <= 1e-4, $"float32 error {e32}");
    }

    [Fact]
    public void Process_BandpassOnly_MatchesScipySosFiltFilt() =>
        CheckStage(new PreprocessingConfig { SamplingRateHz = 500, BandPass = new(0.5, 40) }, "sosfiltfilt_bandpass.npy");

    [Fact]
    public void Process_HighpassOrder3_MatchesScipySosFiltFilt() =>
        CheckStage(new PreprocessingConfig { SamplingRateHz = 500, HighPassHz = 0.5, FilterOrder = 3 }, "sosfiltfilt_highpass3.npy");

    [Fact]
    public void Process_LowpassOrder5_MatchesScipySosFiltFilt() =>
        CheckStage(new PreprocessingConfig { SamplingRateHz = 500, LowPassHz = 100, FilterOrder = 5 }, "sosfiltfilt_lowpass5.npy");

    [Fact]
    public void Process_NotchOnly_MatchesScipyFiltFilt() =>
        CheckStage(new PreprocessingConfig { SamplingRateHz = 500, NotchHz = 50, NotchQuality = 30 }, "filtfilt_notch.npy");

    [Fact]
    public void Process_ZScoreOnly_MatchesNumpy() =>
        CheckStage(new PreprocessingConfig { SamplingRateHz = 500, Normalization = NormalizationMethod.ZScore }, "zscore.npy");

    [Theory]
    [InlineData(500, 250)]
    [InlineData(500, 100)]
    [InlineData(360, 500)]
    [InlineData(257, 500)]
    [InlineData(1000, 500)]
    [InlineData(500, 257)]
    [InlineData(100, 500)]
    public void Process_ResampleOnly_MatchesScipyResamplePoly(int from, int to) =>
        CheckStage(new PreprocessingConfig { SamplingRateHz = from, ResampleHz = to }, "", $"resample_{from}_{to}.npy");

    [Fact]
    public void Process_Issue4Pipeline_MatchesScipyInBothPrecisions()
    {
        var input = DspFixtures.Load("pipeline_input.npy");
        var expected = DspFixtures.Load("pipeline_expected.npy").As<double>();
        int n = input.Shape[0], l = input.Shape[1], s = input.Shape[2];
        var p = new PreprocessingPipeline(Issue4);
        Assert.Equal(expected.Length, n * l * p.OutputLength(s));
        float[] x32 = input.As<float>();
        var y32 = new float[expected.Length];
        p.Process(x32, y32, n, l, s, threads: 2);
        var y64 = new double[expected.Length];
        p.Process(x32.Select(v => (double)v).ToArray(), y64, n, l, s);
        double e32 = DspFixtures.MaxAbsDiff(y32, expected), e64 = DspFixtures.MaxAbsDiff(y64, expected);
        output.WriteLine($"issue-4 pipeline: float32 max error {e32:E2}, float64 max error {e64:E2}");
        Assert.True(e32 <= 1e-4, $"float32 error {e32}");
        Assert.True(e64 <= 1e-9, $"float64 error {e64}");
    }

    [Fact]
    public void Process_MoreThreads_SameResult()
    {
        var input = DspFixtures.Load("pipeline_input.npy").As<float>();
        var p = new PreprocessingPipeline(Issue4);
        var a = new float[2 * 12 * 2500];
        var b = new float[a.Length];
        p.Process(input, a, 2, 12, 5000, threads: 1);
        p.Process(input, b, 2, 12, 5000, threads: 3);
        Assert.Equal(a, b);
    }

    [Fact]
    public void Process_NaNSample_ThrowsNamingRecordLeadAndSample()
    {
        var x = new double[2 * 3 * 100];
        x[1 * 300 + 2 * 100 + 7] = double.NaN;
        var p = new PreprocessingPipeline(new PreprocessingConfig { SamplingRateHz = 500, NotchHz = 50 });
        var ex = Assert.Throws<ArgumentException>(() => p.Process(x, new double[x.Length], 2, 3, 100));
        Assert.Contains("record 1, lead 2, sample 7", ex.Message);
    }

    [Fact]
    public void Process_NaNWithRepairInterpolate_EqualsProcessingTheRepairedInput()
    {
        var rng = new Random(8);
        var x = Enumerable.Range(0, 2 * 300).Select(_ => rng.NextDouble()).ToArray();
        var repaired = (double[])x.Clone();
        x[310] = double.NaN;
        repaired[310] = (repaired[309] + repaired[311]) / 2;
        var config = new PreprocessingConfig { SamplingRateHz = 500, NotchHz = 50, RepairNonFinite = EcgClip.Signal.Dsp.Normalization.NonFiniteRepair.Interpolate };
        var p = new PreprocessingPipeline(config);
        var a = new double[x.Length];
        var b = new double[x.Length];
        p.Process(x, a, 1, 2, 300);
        p.Process(repaired, b, 1, 2, 300);
        Assert.True(double.IsNaN(x[310]));
        for (int i = 0; i < a.Length; i++) Assert.Equal(b[i], a[i], 12);
        Assert.Equal(config, PreprocessingConfig.FromJson(config.ToJson()));
    }

    [Fact]
    public void Process_SignalShorterThanPadding_ThrowsNamingStage()
    {
        var p = new PreprocessingPipeline(Issue4);
        var ex = Assert.Throws<ArgumentException>(() => p.Process(new double[20], new double[10], 1, 1, 20));
        Assert.Contains("bandpass", ex.Message);
    }

    [Fact]
    public void Constructor_CutoffAboveNyquist_Throws() =>
        Assert.Throws<ArgumentException>(() => new PreprocessingPipeline(Issue4 with { SamplingRateHz = 100 }));

    [Fact]
    public void Config_JsonRoundTrip_Equal()
    {
        string json = Issue4.ToJson();
        Assert.Contains("\"band_pass\":{\"low\":0.5,\"high\":40}", json.Replace("Low", "low").Replace("High", "high"));
        Assert.Equal(Issue4, PreprocessingConfig.FromJson(json));
    }

    /// <summary>The vectorised float64 pipeline (both SIMD widths) equals the scalar scipy-order reference for any channel count and length.</summary>
    [FsCheck.Xunit.Property(MaxTest = 25)]
    public Property Process_Float64_EqualsScalarReference() => VectorisedEqualsScalar(force256: false);

    /// <summary>Same as <see cref="Process_Float64_EqualsScalarReference"/> for the 256-bit kernels.</summary>
    [FsCheck.Xunit.Property(MaxTest = 15)]
    public Property Process_Float64Avx2Kernels_EqualsScalarReference() => VectorisedEqualsScalar(force256: true);

    /// <summary>The vectorised polyphase kernel (grouped interior outputs, edge outputs) equals the scalar resampler for the common ECG rates.</summary>
    [FsCheck.Xunit.Property(MaxTest = 40)]
    public Property Process_ResampleCommonRates_EqualsScalarResampler()
    {
        int[] rates = [100, 250, 257, 360, 400, 500, 1000];
        var gen = from src in Gen.Elements(rates)
                  from dst in Gen.Elements(rates)
                  from channels in Gen.Choose(1, 2 * PreprocessingPipeline.ChannelsPerBlock + 3)
                  from length in Gen.Choose(1, 700)
                  from wide in Gen.Elements(true, false)
                  from seed in Gen.Choose(0, 10000)
                  select (src, dst, channels, length, wide, seed);
        return Prop.ForAll(gen.ToArbitrary(), t =>
        {
            var rng = new Random(t.seed);
            var x = Enumerable.Range(0, t.channels * t.length).Select(_ => rng.NextDouble() * 2 - 1).ToArray();
            var p = new PreprocessingPipeline(new PreprocessingConfig { SamplingRateHz = t.src, ResampleHz = t.dst }) { Force256 = !t.wide };
            int nOut = p.OutputLength(t.length);
            var y = new double[t.channels * nOut];
            p.Process(x, y, t.channels, 1, t.length);
            var rs = PolyphaseResampler.ForRates(t.src, t.dst);
            double worst = 0;
            for (int c = 0; c < t.channels; c++)
            {
                double[] r = rs.Apply(x.AsSpan(c * t.length, t.length));
                if (r.Length != nOut) return false;
                for (int i = 0; i < nOut; i++) worst = Math.Max(worst, Math.Abs(r[i] - y[c * nOut + i]));
            }
            return worst <= 1e-12;
        });
    }

    private static Property VectorisedEqualsScalar(bool force256)
    {
        var gen = from channels in Gen.Choose(1, 3 * PreprocessingPipeline.ChannelsPerBlock + 1)
                  from length in Gen.Choose(40, 400)
                  from seed in Gen.Choose(0, 10000)
                  select (channels, length, seed);
        return Prop.ForAll(gen.ToArbitrary(), t =>
        {
            var (channels, length, seed) = t;
            var rng = new Random(seed);
            var x = new double[channels * length];
            for (int i = 0; i < x.Length; i++) x[i] = rng.NextDouble() * 2 - 1 + (i / length);
            var config = new PreprocessingConfig
            {
                SamplingRateHz = 500, BandPass = new(0.5, 40), NotchHz = 50, ResampleHz = 250, Normalization = NormalizationMethod.ZScore,
            };
            var p = new PreprocessingPipeline(config) { Force256 = force256 };
            int nOut = p.OutputLength(length);
            var y = new double[channels * nOut];
            p.Process(x, y, channels, 1, length, threads: 2);
            var sos = FilterDesign.Butter(4, [0.5, 40], FilterBandType.BandPass, 500);
            var notch = FilterDesign.IirNotch(50, 30, 500);
            var rs = new PolyphaseResampler(1, 2);
            double worst = 0;
            for (int c = 0; c < channels; c++)
            {
                double[] r = ZeroPhaseFilter.SosFiltFilt(sos, x.AsSpan(c * length, length));
                r = ZeroPhaseFilter.FiltFilt(notch, r);
                r = rs.Apply(r);
                double mean = r.Average(), std = Math.Sqrt(r.Select(v => (v - mean) * (v - mean)).Average());
                for (int i = 0; i < nOut; i++) worst = Math.Max(worst, Math.Abs((r[i] - mean) / (std + 1e-8) - y[c * nOut + i]));
            }
            return worst <= 1e-9;
        });
    }
}

public class PreprocessingPipelineRecordTests
{
    [Fact]
    public void Process_EcgRecord_EqualsBatchPath()
    {
        var rng = new Random(4);
        var channels = Enumerable.Range(0, 3)
            .Select(c => new EcgClip.Signal.Records.EcgChannel("V" + (c + 1), Enumerable.Range(0, 600).Select(_ => rng.NextDouble()).ToArray()))
            .ToList();
        var record = new EcgClip.Signal.Records.EcgRecord("r", 500, channels);
        var p = new PreprocessingPipeline(new PreprocessingConfig { SamplingRateHz = 500, BandPass = new(0.5, 40), ResampleHz = 250 });
        double[][] y = p.Process(record);
        Assert.Equal(3, y.Length);
        Assert.Equal(300, y[0].Length);
        var x = channels.SelectMany(c => c.Physical).ToArray();
        var batch = new double[3 * 300];
        p.Process(x, batch, 1, 3, 600);
        Assert.Equal(batch, y.SelectMany(v => v).ToArray());
    }

    [Fact]
    public void Process_EcgRecordWrongRate_Throws()
    {
        var record = new EcgClip.Signal.Records.EcgRecord("r", 360, [new EcgClip.Signal.Records.EcgChannel("I", new double[400])]);
        var p = new PreprocessingPipeline(new PreprocessingConfig { SamplingRateHz = 500 });
        Assert.Contains("360", Assert.Throws<ArgumentException>(() => p.Process(record)).Message);
    }
}
