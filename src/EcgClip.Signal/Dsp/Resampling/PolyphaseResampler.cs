using EcgClip.Signal.Dsp.Filters;

namespace EcgClip.Signal.Dsp.Resampling;

/// <summary>
/// Rational resampling by <c>up/down</c> identical to scipy.signal.resample_poly's defaults: up and down reduced by
/// their gcd, a Kaiser (β = 5) low-pass FIR of <c>2·10·max(up, down) + 1</c> taps with cut-off <c>1/max(up, down)</c>
/// (relative to Nyquist) scaled by <c>up</c>, zero padding at both ends (<c>padtype='constant'</c>), output length
/// <c>ceil(n·up/down)</c> and scipy's upfirdn alignment. Only the kept outputs are computed (polyphase). Immutable
/// and thread-safe.
/// </summary>
public sealed class PolyphaseResampler
{
    private readonly double[] _paddedTaps;

    /// <summary>Creates a resampler; the ratio is reduced by the gcd.</summary>
    /// <param name="up">Up-sampling factor (≥ 1).</param>
    /// <param name="down">Down-sampling factor (≥ 1).</param>
    /// <exception cref="ArgumentOutOfRangeException">A factor is below 1.</exception>
    public PolyphaseResampler(int up, int down)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(up, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(down, 1);
        int g = Gcd(up, down);
        Up = up / g;
        Down = down / g;
        if (IsIdentity)
        {
            _paddedTaps = [1.0];
            return;
        }
        int maxRate = Math.Max(Up, Down);
        HalfLength = 10 * maxRate;
        double[] h = FilterDesign.FirWinKaiser(2 * HalfLength + 1, 1.0 / maxRate, 5.0);
        for (int i = 0; i < h.Length; i++) h[i] *= Up;
        PrePad = Down - HalfLength % Down;
        PreRemove = (HalfLength + PrePad) / Down;
        Taps = h;
        _paddedTaps = new double[PrePad + h.Length];
        h.CopyTo(_paddedTaps, PrePad);
        BuildPhaseTables();
    }

    /// <summary>
    /// Per residue r = k mod up: the taps <c>h[r + j·up]</c> and their input offsets j (input index = k/up − j),
    /// ordered by ascending input index, leaving out taps below 1e-14·max|h| (the sinc's numerical zeros: their
    /// products are ~1e-17 of the signal). Used for interior outputs of the vectorised kernel.
    /// </summary>
    internal double[][] PhaseTapValues { get; private set; } = [];

    /// <summary>Offsets j matching <see cref="PhaseTapValues"/>.</summary>
    internal int[][] PhaseTapOffsets { get; private set; } = [];

    private void BuildPhaseTables()
    {
        double max = 0;
        foreach (double v in _paddedTaps) max = Math.Max(max, Math.Abs(v));
        double cut = 1e-14 * max;
        PhaseTapValues = new double[Up][];
        PhaseTapOffsets = new int[Up][];
        for (int r = 0; r < Up; r++)
        {
            var values = new List<double>();
            var offsets = new List<int>();
            int jmax = (_paddedTaps.Length - 1 - r) / Up;
            for (int j = jmax; j >= 0; j--)
            {
                double v = _paddedTaps[r + j * Up];
                if (Math.Abs(v) <= cut) continue;
                values.Add(v);
                offsets.Add(j);
            }
            PhaseTapValues[r] = [.. values];
            PhaseTapOffsets[r] = [.. offsets];
        }
    }

    /// <summary>Creates the resampler from <paramref name="fromHz"/> to <paramref name="toHz"/> (both whole numbers of Hz, e.g. 500 → 250, 360 → 500).</summary>
    /// <exception cref="ArgumentException">A rate is not a positive whole number.</exception>
    public static PolyphaseResampler ForRates(double fromHz, double toHz)
    {
        if (!(fromHz >= 1) || fromHz != Math.Floor(fromHz) || fromHz > int.MaxValue)
            throw new ArgumentException($"resampling needs whole-number rates in Hz, got input rate {fromHz}", nameof(fromHz));
        if (!(toHz >= 1) || toHz != Math.Floor(toHz) || toHz > int.MaxValue)
            throw new ArgumentException($"resampling needs whole-number rates in Hz, got target rate {toHz}", nameof(toHz));
        return new PolyphaseResampler((int)toHz, (int)fromHz);
    }

    /// <summary>Reduced up-sampling factor.</summary>
    public int Up { get; }
    /// <summary>Reduced down-sampling factor.</summary>
    public int Down { get; }
    /// <summary>True when the reduced ratio is 1/1 (the output is a copy, as in scipy).</summary>
    public bool IsIdentity => Up == 1 && Down == 1;
    /// <summary>Half-length of the FIR (10·max(up, down)); 0 for the identity.</summary>
    public int HalfLength { get; }
    /// <summary>The FIR taps (already multiplied by <see cref="Up"/>), empty for the identity.</summary>
    public IReadOnlyList<double> Taps { get; } = [];
    internal int PrePad { get; }
    internal int PreRemove { get; }
    internal ReadOnlySpan<double> PaddedTaps => _paddedTaps;

    /// <summary>Output length for <paramref name="inputLength"/> samples: <c>ceil(n·up/down)</c>.</summary>
    public int OutputLength(int inputLength)
    {
        long n = (long)inputLength * Up;
        long outLen = n / Down + (n % Down != 0 ? 1 : 0);
        if (outLen > int.MaxValue) throw new ArgumentException($"resampled length {outLen} is too large");
        return (int)outLen;
    }

    /// <summary>
    /// Resamples one channel (float64, scipy's summation order: ascending input index). Scalar reference.
    /// </summary>
    /// <param name="x">Input samples (at least one).</param>
    /// <param name="y">Output of length <see cref="OutputLength"/>.</param>
    /// <exception cref="ArgumentException"><paramref name="x"/> is empty or <paramref name="y"/> has the wrong length.</exception>
    public void Apply(ReadOnlySpan<double> x, Span<double> y)
    {
        if (x.Length == 0) throw new ArgumentException("resample_poly: the input is empty");
        int nOut = OutputLength(x.Length);
        if (y.Length != nOut) throw new ArgumentException($"resample_poly: output must have {nOut} samples, got {y.Length}");
        if (IsIdentity) { x.CopyTo(y); return; }
        ReadOnlySpan<double> h = _paddedTaps;
        int lh = h.Length;
        for (int m = 0; m < nOut; m++)
        {
            long k = (long)(m + PreRemove) * Down;
            GetRange(k, x.Length, lh, out int iLo, out int iHi);
            double acc = 0;
            for (int i = iLo; i <= iHi; i++) acc += x[i] * h[(int)(k - (long)i * Up)];
            y[m] = acc;
        }
    }

    /// <summary>Allocating overload of <see cref="Apply(ReadOnlySpan{double}, Span{double})"/>.</summary>
    public double[] Apply(ReadOnlySpan<double> x)
    {
        var y = new double[OutputLength(x.Length)];
        Apply(x, y);
        return y;
    }

    /// <summary>Input index range contributing to full-convolution output <paramref name="k"/> (ascending).</summary>
    internal void GetRange(long k, int n, int lh, out int iLo, out int iHi)
    {
        long hi = Math.Min(n - 1, k / Up);
        long lo = k - (lh - 1);
        lo = lo <= 0 ? 0 : (lo + Up - 1) / Up;
        iLo = (int)lo;
        iHi = (int)hi;
    }

    private static int Gcd(int a, int b)
    {
        while (b != 0) (a, b) = (b, a % b);
        return a;
    }
}
