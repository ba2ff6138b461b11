using BenchmarkDotNet.Attributes;
using EcgClip.Signal.Dsp.Filters;
using EcgClip.Signal.Dsp.Normalization;
using EcgClip.Signal.Dsp.Preprocessing;
using EcgClip.Signal.Dsp.Resampling;

namespace EcgClip.Benchmarks.Dsp;

/// <summary>
/// One preprocessing stage on a batch of 4 twelve-lead records of 5,000 samples (500 Hz, float32 in and out),
/// single-threaded: the scalar float64 reference (scipy's operation order, one lead at a time) as the baseline
/// versus <see cref="PreprocessingPipeline"/> (SIMD across leads, interleaved blocks). Divide by 4 for per-record times.
/// </summary>
[MemoryDiagnoser]
public abstract class StageBenchmarkBase
{
    /// <summary>Records per invocation.</summary>
    protected const int Records = 4, Leads = 12, Samples = 5000;
    private float[] _x = [];
    private float[] _y = [];
    private double[][] _rows = [];
    private PreprocessingPipeline _pipeline = null!;

    /// <summary>The stage(s) under test.</summary>
    protected abstract PreprocessingConfig Config { get; }

    /// <summary>The scalar reference for one lead (float64).</summary>
    protected abstract double[] Reference(double[] lead);

    /// <summary>Builds a seeded ECG-like batch and the pipeline.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var rng = new Random(7);
        _x = new float[Records * Leads * Samples];
        for (int i = 0; i < _x.Length; i++)
            _x[i] = (float)(Math.Pow(Math.Sin(2 * Math.PI * 1.2 * (i % Samples) / 500.0), 63) + 0.3 * Math.Sin(i * 0.0025) + 0.05 * (rng.NextDouble() - 0.5));
        _pipeline = new PreprocessingPipeline(Config);
        _y = new float[Records * Leads * _pipeline.OutputLength(Samples)];
        _rows = Enumerable.Range(0, Records * Leads).Select(c => _x.AsSpan(c * Samples, Samples).ToArray().Select(v => (double)v).ToArray()).ToArray();
    }

    /// <summary>Scalar float64 reference, lead by lead.</summary>
    [Benchmark(Baseline = true)]
    public double ScalarReference()
    {
        double s = 0;
        foreach (var row in _rows) s += Reference(row)[^1];
        return s;
    }

    /// <summary>The vectorised pipeline, float32 in/out, one thread.</summary>
    [Benchmark]
    public float Vectorised()
    {
        _pipeline.Process(_x, _y, Records, Leads, Samples, threads: 1);
        return _y[^1];
    }
}

/// <summary>Butterworth band-pass 0.5–40 Hz, order 4, sosfiltfilt.</summary>
public class BandPassBenchmarks : StageBenchmarkBase
{
    private readonly SecondOrderSections _sos = FilterDesign.Butter(4, [0.5, 40], FilterBandType.BandPass, 500);
    /// <inheritdoc/>
    protected override PreprocessingConfig Config => new() { SamplingRateHz = 500, BandPass = new(0.5, 40) };
    /// <inheritdoc/>
    protected override double[] Reference(double[] lead) => ZeroPhaseFilter.SosFiltFilt(_sos, lead);
}

/// <summary>iirnotch 50 Hz, Q 30, filtfilt.</summary>
public class NotchBenchmarks : StageBenchmarkBase
{
    private readonly TransferFunction _notch = FilterDesign.IirNotch(50, 30, 500);
    /// <inheritdoc/>
    protected override PreprocessingConfig Config => new() { SamplingRateHz = 500, NotchHz = 50 };
    /// <inheritdoc/>
    protected override double[] Reference(double[] lead) => ZeroPhaseFilter.FiltFilt(_notch, lead);
}

/// <summary>resample_poly 500 → 250 Hz.</summary>
public class ResampleBenchmarks : StageBenchmarkBase
{
    private readonly PolyphaseResampler _rs = new(1, 2);
    /// <inheritdoc/>
    protected override PreprocessingConfig Config => new() { SamplingRateHz = 500, ResampleHz = 250 };
    /// <inheritdoc/>
    protected override double[] Reference(double[] lead) => _rs.Apply(lead);
}

/// <summary>Per-lead z-score.</summary>
public class ZScoreBenchmarks : StageBenchmarkBase
{
    /// <inheritdoc/>
    protected override PreprocessingConfig Config => new() { SamplingRateHz = 500, Normalization = NormalizationMethod.ZScore };
    /// <inheritdoc/>
    protected override double[] Reference(double[] lead)
    {
        var y = new double[lead.Length];
        SignalNormalization.ZScore<double>(lead, y);
        return y;
    }
}

/// <summary>The issue-4 pipeline: band-pass 0.5–40 (order 4) → notch 50 (Q 30) → resample 250 → z-score.</summary>
public class PipelineBenchmarks : StageBenchmarkBase
{
    private readonly SecondOrderSections _sos = FilterDesign.Butter(4, [0.5, 40], FilterBandType.BandPass, 500);
    private readonly TransferFunction _notch = FilterDesign.IirNotch(50, 30, 500);
    private readonly PolyphaseResampler _rs = new(1, 2);
    /// <inheritdoc/>
    protected override PreprocessingConfig Config => new()
    {
        SamplingRateHz = 500, BandPass = new(0.5, 40), NotchHz = 50, ResampleHz = 250, Normalization = NormalizationMethod.ZScore,
    };
    /// <inheritdoc/>
    protected override double[] Reference(double[] lead)
    {
        double[] y = _rs.Apply(ZeroPhaseFilter.FiltFilt(_notch, ZeroPhaseFilter.SosFiltFilt(_sos, lead)));
        SignalNormalization.ZScore<double>(y, y);
        return y;
    }
}
