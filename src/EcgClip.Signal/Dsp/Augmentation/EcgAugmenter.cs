using System.Numerics;

namespace EcgClip.Signal.Dsp.Augmentation;

/// <summary>
/// Applies an <see cref="AugmentationConfig"/> to a batch <c>[records, leads, samples]</c>. Seeded and
/// reproducible: record r draws from its own generator seeded by (seed, r), so the result does not depend on the
/// thread count or on the other records in the batch. Immutable and thread-safe.
/// </summary>
public sealed class EcgAugmenter
{
    /// <summary>Validates <paramref name="config"/>.</summary>
    /// <exception cref="ArgumentException">A probability outside [0, 1], a negative amplitude, ScaleMin &gt; ScaleMax, or a non-positive rate or crop.</exception>
    public EcgAugmenter(AugmentationConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (!(config.SamplingRateHz > 0)) throw new ArgumentException($"sampling rate must be positive, got {config.SamplingRateHz}");
        if (config.CropLength is < 1) throw new ArgumentException($"crop length must be positive, got {config.CropLength}");
        if (!(config.ScaleMin <= config.ScaleMax)) throw new ArgumentException($"ScaleMin {config.ScaleMin} must not exceed ScaleMax {config.ScaleMax}");
        foreach (var (name, p) in new[] { ("TimeMaskProbability", config.TimeMaskProbability), ("LeadDropoutProbability", config.LeadDropoutProbability), ("TimeMaskMaxFraction", config.TimeMaskMaxFraction) })
            if (!(p >= 0 && p <= 1)) throw new ArgumentException($"{name} must be in [0, 1], got {p}");
        foreach (var (name, a) in new[] { ("NoiseStd", config.NoiseStd), ("BaselineWanderAmplitude", config.BaselineWanderAmplitude), ("PowerlineAmplitude", config.PowerlineAmplitude) })
            if (!(a >= 0) || !double.IsFinite(a)) throw new ArgumentException($"{name} must be non-negative and finite, got {a}");
        Config = config;
    }

    /// <summary>The configuration.</summary>
    public AugmentationConfig Config { get; }

    /// <summary>Output samples per lead for <paramref name="samples"/> input samples.</summary>
    /// <exception cref="ArgumentException">The crop is longer than the input.</exception>
    public int OutputLength(int samples)
    {
        if (Config.CropLength is not { } c) return samples;
        if (c > samples) throw new ArgumentException($"crop length {c} is longer than the signal ({samples} samples)");
        return c;
    }

    /// <summary>Augments <c>input[records, leads, samples]</c> into <c>output[records, leads, OutputLength(samples)]</c>.</summary>
    /// <param name="input">Row-major input.</param>
    /// <param name="output">Row-major output (must not overlap the input when cropping).</param>
    /// <param name="records">Number of records.</param>
    /// <param name="leads">Leads per record.</param>
    /// <param name="samples">Samples per lead.</param>
    /// <param name="seed">Seed; the same seed gives the same output.</param>
    /// <param name="threads">Worker threads (≥ 1).</param>
    /// <exception cref="ArgumentException">Shapes disagree.</exception>
    public void Apply(ReadOnlySpan<float> input, Span<float> output, int records, int leads, int samples, ulong seed, int threads = 1)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(records);
        ArgumentOutOfRangeException.ThrowIfLessThan(leads, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        int nOut = OutputLength(samples);
        if (input.Length != (long)records * leads * samples) throw new ArgumentException($"input has {input.Length} values, expected {records}×{leads}×{samples}");
        if (output.Length != (long)records * leads * nOut) throw new ArgumentException($"output has {output.Length} values, expected {records}×{leads}×{nOut}");
        unsafe
        {
            fixed (float* ip = input)
            fixed (float* op = output)
            {
                nint inP = (nint)ip, outP = (nint)op;
                int inSize = leads * samples, outSize = leads * nOut;
                if (threads == 1 || records < 2)
                {
                    for (int r = 0; r < records; r++) AugmentRecord(new ReadOnlySpan<float>((float*)inP + (long)r * inSize, inSize), new Span<float>((float*)outP + (long)r * outSize, outSize), leads, samples, nOut, seed, r);
                }
                else
                {
                    Parallel.For(0, records, new ParallelOptions { MaxDegreeOfParallelism = threads }, r =>
                        AugmentRecord(new ReadOnlySpan<float>((float*)inP + (long)r * inSize, inSize), new Span<float>((float*)outP + (long)r * outSize, outSize), leads, samples, nOut, seed, r));
                }
            }
        }
    }

    private void AugmentRecord(ReadOnlySpan<float> x, Span<float> y, int leads, int samples, int nOut, ulong seed, long record)
    {
        var c = Config;
        var rng = new SplitMix64(seed ^ (0x9E3779B97F4A7C15UL * (ulong)(record + 1)));
        int start = c.CropLength is null ? 0 : rng.NextInt(samples - nOut + 1);
        for (int l = 0; l < leads; l++) x.Slice(l * samples + start, nOut).CopyTo(y.Slice(l * nOut, nOut));

        double scale = c.ScaleMin == c.ScaleMax ? c.ScaleMin : c.ScaleMin + (c.ScaleMax - c.ScaleMin) * rng.NextDouble();
        if (scale != 1) foreach (ref float v in y) v = (float)(v * scale);

        double dt = 1.0 / c.SamplingRateHz;
        if (c.BaselineWanderAmplitude > 0)
        {
            double f1 = 0.05 + (c.BaselineWanderMaxHz - 0.05) * rng.NextDouble(), f2 = 0.05 + (c.BaselineWanderMaxHz - 0.05) * rng.NextDouble();
            double p1 = 2 * Math.PI * rng.NextDouble(), p2 = 2 * Math.PI * rng.NextDouble();
            double a = c.BaselineWanderAmplitude / 2;
            for (int t = 0; t < nOut; t++)
            {
                float w = (float)(a * (Math.Sin(2 * Math.PI * f1 * t * dt + p1) + Math.Sin(2 * Math.PI * f2 * t * dt + p2)));
                for (int l = 0; l < leads; l++) y[l * nOut + t] += w;
            }
        }
        if (c.PowerlineAmplitude > 0)
        {
            double phase = 2 * Math.PI * rng.NextDouble();
            for (int t = 0; t < nOut; t++)
            {
                float w = (float)(c.PowerlineAmplitude * Math.Sin(2 * Math.PI * c.PowerlineHz * t * dt + phase));
                for (int l = 0; l < leads; l++) y[l * nOut + t] += w;
            }
        }
        if (c.NoiseStd > 0)
            foreach (ref float v in y) v += (float)(c.NoiseStd * rng.NextGaussian());
        if (c.TimeMaskProbability > 0 && rng.NextDouble() < c.TimeMaskProbability)
        {
            int len = rng.NextInt((int)(c.TimeMaskMaxFraction * nOut) + 1);
            int at = rng.NextInt(nOut - len + 1);
            for (int l = 0; l < leads; l++) y.Slice(l * nOut + at, len).Clear();
        }
        if (c.LeadDropoutProbability > 0)
        {
            Span<bool> drop = leads <= 256 ? stackalloc bool[leads] : new bool[leads];
            int kept = 0;
            for (int l = 0; l < leads; l++) { drop[l] = rng.NextDouble() < c.LeadDropoutProbability; if (!drop[l]) kept++; }
            if (kept == 0) drop[rng.NextInt(leads)] = false;
            for (int l = 0; l < leads; l++) if (drop[l]) y.Slice(l * nOut, nOut).Clear();
        }
    }

    /// <summary>SplitMix64: small, fast, reproducible across platforms and .NET versions.</summary>
    private struct SplitMix64(ulong state)
    {
        private ulong _state = state;

        public ulong Next()
        {
            ulong z = _state += 0x9E3779B97F4A7C15UL;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return z ^ (z >> 31);
        }

        /// <summary>Uniform in [0, 1).</summary>
        public double NextDouble() => (Next() >> 11) * (1.0 / (1UL << 53));

        /// <summary>Uniform in [0, n) for n ≥ 1.</summary>
        public int NextInt(int n) => (int)((Next() >> 33) * (ulong)n >> 31);

        /// <summary>Standard normal (Box–Muller).</summary>
        public double NextGaussian()
        {
            double u1 = 1.0 - NextDouble(), u2 = NextDouble();
            return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
        }
    }
}
