using System.Runtime.CompilerServices;
using System.Numerics;
using EcgClip.Signal.Dsp.Filters;
using EcgClip.Signal.Dsp.Normalization;
using EcgClip.Signal.Dsp.Resampling;

namespace EcgClip.Signal.Dsp.Preprocessing;

/// <summary>
/// Applies a <see cref="PreprocessingConfig"/> to a batch <c>[records, leads, samples]</c> (row-major) in float32
/// or float64. Filters are designed once at construction (scipy-identical coefficients); processing is vectorised
/// across channels (every lead of every record is an independent channel; blocks of
/// <see cref="ChannelsPerBlock"/> channels are interleaved so one SIMD vector holds several channels at the same
/// time step), multi-threaded over blocks, and always computes in float64 internally (float32 IIR recursions lose
/// ~1e-3 after z-scoring), so the float32 path differs from the float64 path by float32 rounding of input and
/// output only. Per-worker scratch buffers come from the shared array pool (no allocation in steady state).
/// Immutable and thread-safe.
/// </summary>
public sealed class PreprocessingPipeline
{
    private readonly Stage[] _stages;
    private readonly PolyphaseResampler? _resampler;
    private readonly int _maxPad;
    private readonly int _maxSections;

    private sealed record Stage(string Name, double[] Sos, double[] Zi, int Pad);

    /// <summary>Validates <paramref name="config"/> and designs its filters.</summary>
    /// <exception cref="ArgumentException">An invalid rate, order, cut-off (e.g. at or above Nyquist) or resampling target.</exception>
    public PreprocessingPipeline(PreprocessingConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        Config = config;
        double fs = config.SamplingRateHz;
        if (!(fs > 0) || !double.IsFinite(fs)) throw new ArgumentException($"sampling rate must be positive and finite, got {fs} Hz");
        if (config.FilterOrder < 1 || config.FilterOrder > 32) throw new ArgumentException($"filter order must be between 1 and 32, got {config.FilterOrder}");
        var stages = new List<Stage>();
        if (config.BandPass is { } band)
            stages.Add(SosStage("bandpass", FilterDesign.Butter(config.FilterOrder, [band.Low, band.High], FilterBandType.BandPass, fs)));
        if (config.HighPassHz is { } hp)
            stages.Add(SosStage("highpass", FilterDesign.Butter(config.FilterOrder, [hp], FilterBandType.HighPass, fs)));
        if (config.LowPassHz is { } lp)
            stages.Add(SosStage("lowpass", FilterDesign.Butter(config.FilterOrder, [lp], FilterBandType.LowPass, fs)));
        if (config.NotchHz is { } notch)
        {
            var tf = FilterDesign.IirNotch(notch, config.NotchQuality, fs);
            var (b, a) = ZeroPhaseFilter.Normalize(tf);
            double[] sos = [b[0], b[1], b[2], 1.0, a[1], a[2]];
            stages.Add(new Stage("notch", sos, ZeroPhaseFilter.LFilterZi(b, a), tf.DefaultPadLength));
        }
        _stages = [.. stages];
        _maxPad = _stages.Length == 0 ? 0 : _stages.Max(s => s.Pad);
        _maxSections = _stages.Length == 0 ? 1 : _stages.Max(s => s.Sos.Length / 6);
        if (config.ResampleHz is { } target)
        {
            var r = PolyphaseResampler.ForRates(fs, target);
            _resampler = r.IsIdentity ? null : r;
        }
    }

    private static Stage SosStage(string name, SecondOrderSections sos) =>
        new(name, sos.RowMajor.ToArray(), ZeroPhaseFilter.SosFiltZi(sos), sos.DefaultPadLength);

    /// <summary>The configuration this pipeline runs.</summary>
    public PreprocessingConfig Config { get; }

    /// <summary>Channels processed together in one interleaved SIMD block.</summary>
    public static int ChannelsPerBlock => Lanes512.IsHardwareAccelerated ? InterleavedKernels<Lanes512>.Lanes : InterleavedKernels<Lanes256>.Lanes;

    /// <summary>Forces the 256-bit kernels even where AVX-512 is available (tests of both paths).</summary>
    internal bool Force256 { get; init; }

    /// <summary>Sampling rate of the output in Hz.</summary>
    public double OutputSamplingRateHz => Config.ResampleHz ?? Config.SamplingRateHz;

    /// <summary>The shortest accepted input: one more than the largest zero-phase pad length (scipy's rule), at least 1.</summary>
    public int MinimumInputLength => _maxPad + 1;

    /// <summary>Output samples per channel for <paramref name="samples"/> input samples.</summary>
    public int OutputLength(int samples) => _resampler?.OutputLength(samples) ?? samples;

    /// <summary>
    /// Processes one record in float64: every channel's physical values (NaN marks invalid samples and is refused).
    /// Returns one array per channel, in the record's channel order, at <see cref="OutputSamplingRateHz"/>.
    /// </summary>
    /// <exception cref="ArgumentException">The record's sampling rate differs from the configuration's, or see <see cref="Process{T}"/>.</exception>
    public double[][] Process(Records.EcgRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (record.SamplingRate != Config.SamplingRateHz)
            throw new ArgumentException($"record '{record.Name}' is sampled at {record.SamplingRate} Hz but the pipeline expects {Config.SamplingRateHz} Hz");
        int leads = record.Channels.Count, n = record.SampleCount;
        if (leads == 0) return [];
        var x = new double[(long)leads * n];
        for (int l = 0; l < leads; l++) record.Channels[l].Physical.CopyTo(x, (long)l * n);
        int nOut = OutputLength(n);
        var y = new double[(long)leads * nOut];
        Process<double>(x, y, 1, leads, n);
        var result = new double[leads][];
        for (int l = 0; l < leads; l++) result[l] = y.AsSpan(l * nOut, nOut).ToArray();
        return result;
    }

    /// <summary>Processes a float32 batch; see <see cref="Process{T}"/>.</summary>
    public void Process(ReadOnlySpan<float> input, Span<float> output, int records, int leads, int samples, int threads = 1) =>
        Process<float>(input, output, records, leads, samples, threads);

    /// <summary>Processes a float64 batch; see <see cref="Process{T}"/>.</summary>
    public void Process(ReadOnlySpan<double> input, Span<double> output, int records, int leads, int samples, int threads = 1) =>
        Process<double>(input, output, records, leads, samples, threads);

    /// <summary>
    /// Runs the pipeline on <c>input[records, leads, samples]</c> into <c>output[records, leads, OutputLength(samples)]</c>.
    /// </summary>
    /// <param name="input">Row-major input in the input's units (normally mV).</param>
    /// <param name="output">Row-major output.</param>
    /// <param name="records">Number of records N.</param>
    /// <param name="leads">Leads per record.</param>
    /// <param name="samples">Samples per lead.</param>
    /// <param name="threads">Worker threads (≥ 1).</param>
    /// <exception cref="ArgumentException">Shapes disagree, a sample is NaN or infinite (the message names record,
    /// lead and sample), or the signal is not longer than a filter's pad length.</exception>
    public unsafe void Process<T>(ReadOnlySpan<T> input, Span<T> output, int records, int leads, int samples, int threads = 1)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ArgumentOutOfRangeException.ThrowIfNegative(records);
        ArgumentOutOfRangeException.ThrowIfLessThan(leads, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        long channels = (long)records * leads;
        if (input.Length != channels * samples)
            throw new ArgumentException($"input has {input.Length} values, expected records×leads×samples = {records}×{leads}×{samples}");
        if (samples < 1) throw new ArgumentException("the signal has no samples");
        foreach (var s in _stages)
            if (samples <= s.Pad)
                throw new ArgumentException($"the signal has {samples} samples but the {s.Name} filter needs more than its pad length of {s.Pad} samples");
        int nOut = OutputLength(samples);
        if (output.Length != channels * nOut)
            throw new ArgumentException($"output has {output.Length} values, expected {records}×{leads}×{nOut}");
        if (channels == 0) return;
        if (Config.RepairNonFinite is { } repair && NonFinite.IndexOfFirst(input) >= 0)
        {
            // Repair a copy, lead by lead, then process it (the caller's input is never modified).
            T[] copy = input.ToArray();
            for (long c = 0; c < channels; c++) NonFinite.Repair(copy.AsSpan((int)(c * samples), samples), repair);
            Process<T>(copy, output, records, leads, samples, threads);
            return;
        }

        bool wide = Lanes512.IsHardwareAccelerated && !Force256;
        int lanes = wide ? InterleavedKernels<Lanes512>.Lanes : InterleavedKernels<Lanes256>.Lanes;
        long blocks = (channels + lanes - 1) / lanes;
        int workers = (int)Math.Min(threads, blocks);
        long bad = -1;
        object badLock = new();
        fixed (T* inPtr = input)
        fixed (T* outPtr = output)
        {
            nint ip = (nint)inPtr, op = (nint)outPtr;
            if (workers == 1)
            {
                bad = wide ? RunWorker<T, Lanes512>((T*)ip, (T*)op, channels, samples, nOut, 0, blocks)
                           : RunWorker<T, Lanes256>((T*)ip, (T*)op, channels, samples, nOut, 0, blocks);
            }
            else
            {
                Parallel.For(0, workers, new ParallelOptions { MaxDegreeOfParallelism = workers }, w =>
                {
                    long first = blocks * w / workers, last = blocks * (w + 1) / workers;
                    long b = wide ? RunWorker<T, Lanes512>((T*)ip, (T*)op, channels, samples, nOut, first, last)
                                  : RunWorker<T, Lanes256>((T*)ip, (T*)op, channels, samples, nOut, first, last);
                    if (b >= 0) lock (badLock) bad = bad < 0 ? b : Math.Min(bad, b);
                });
            }
        }

        if (bad >= 0)
        {
            // a block saw a NaN/∞: name the first one (the output is incomplete)
            NonFinite.ThrowIfAny(input, leads, samples);
        }

        if (Config.Normalization is NormalizationMethod.MinMax or NormalizationMethod.Robust)
        {
            int recordSize = leads * nOut;
            for (int r = 0; r < records; r++)
            {
                Span<T> rec = output.Slice(r * recordSize, recordSize);
                if (Config.Normalization == NormalizationMethod.MinMax) SignalNormalization.MinMax<T>(rec, rec);
                else
                    for (int l = 0; l < leads; l++)
                    {
                        Span<T> lead = rec.Slice(l * nOut, nOut);
                        SignalNormalization.Robust<T>(lead, lead);
                    }
            }
        }
    }

    /// <returns>−1, or the first block that held a non-finite input value (its processing stops there).</returns>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private unsafe long RunWorker<T, TV>(T* input, T* output, long channels, int n, int nOut, long firstBlock, long lastBlock)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
        where TV : unmanaged, ILaneVector<TV>
    {
        if (firstBlock >= lastBlock) return -1;
        int lanes = InterleavedKernels<TV>.Lanes;
        int p = _maxPad;
        // Scratch from the shared pool: no allocation in steady state; RunBlocks pins it with fixed.
        var pool = System.Buffers.ArrayPool<double>.Shared;
        double[] buf = pool.Rent((n + 2 * p) * lanes + 8);
        double[] rbuf = pool.Rent(_resampler is null ? 8 : nOut * lanes + 8);
        double[] states = pool.Rent(2 * _maxSections * lanes + 8);
        double[] stats = pool.Rent(4 * lanes);
        try
        {
            return RunBlocks<T, TV>(input, output, channels, n, nOut, firstBlock, lastBlock, buf, rbuf, states, stats);
        }
        finally
        {
            pool.Return(buf);
            pool.Return(rbuf);
            pool.Return(states);
            pool.Return(stats);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private unsafe long RunBlocks<T, TV>(T* input, T* output, long channels, int n, int nOut, long firstBlock, long lastBlock,
                                         double[] buf, double[] rbuf, double[] states, double[] stats)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
        where TV : unmanaged, ILaneVector<TV>
    {
        int lanes = InterleavedKernels<TV>.Lanes;
        int p = _maxPad;
        bool zscore = Config.Normalization == NormalizationMethod.ZScore;
        fixed (double* b0 = buf, r0 = rbuf, s0 = states, st = stats)
        {
            // align rows to 64 bytes
            double* b = Align(b0), r = Align(r0), s = Align(s0);
            for (long blk = firstBlock; blk < lastBlock; blk++)
            {
                long c0 = blk * lanes;
                int rows = (int)Math.Min(lanes, channels - c0);
                if (!InterleavedKernels<TV>.Gather(input + c0 * n, n, rows, n, b, p)) return blk;
                foreach (var stage in _stages)
                {
                    InterleavedKernels<TV>.OddExtend(b, p, n, stage.Pad);
                    InterleavedKernels<TV>.ZeroPhaseCascade(b, p - stage.Pad, p + n + stage.Pad, stage.Sos, stage.Zi, s);
                }
                double* cur = b;
                int curP = p;
                if (_resampler is { } rs)
                {
                    InterleavedKernels<TV>.Resample(b, p, n, r, nOut, rs);
                    cur = r;
                    curP = 0;
                }
                if (zscore)
                {
                    double* mean = st, std = st + lanes, scale = st + 2 * lanes;
                    InterleavedKernels<TV>.MeanStd(cur, curP, nOut, mean, std);
                    for (int l = 0; l < lanes; l++) scale[l] = 1.0 / (std[l] + SignalNormalization.Epsilon);
                    InterleavedKernels<TV>.Scatter(cur, curP, nOut, output + c0 * nOut, nOut, rows, mean, scale);
                }
                else
                {
                    InterleavedKernels<TV>.Scatter<T>(cur, curP, nOut, output + c0 * nOut, nOut, rows, null, null);
                }
            }
        }
        return -1;
    }

    private static unsafe double* Align(double* p) => (double*)(((nint)p + 63) & ~(nint)63);
}
