using System.Numerics;
using System.Numerics.Tensors;

namespace EcgClip.Signal.Dsp.Normalization;

/// <summary>
/// Amplitude normalisations of one lead or one record, computed in float64. Every method accepts
/// input and output as the same memory.
/// </summary>
public static class SignalNormalization
{
    /// <summary>The ε added to every denominator (1e-8), as in the usual numpy recipes.</summary>
    public const double Epsilon = 1e-8;

    /// <summary>Per-lead z-score: <c>(x − mean) / (std + 1e-8)</c>, std with ddof 0 (numpy's <c>x.std()</c>).</summary>
    /// <exception cref="ArgumentException">Lengths differ or the input is empty.</exception>
    public static void ZScore<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        CheckLengths(x.Length, y.Length);
        double mean = 0;
        for (int i = 0; i < x.Length; i++) mean += double.CreateTruncating(x[i]);
        mean /= x.Length;
        double ss = 0;
        for (int i = 0; i < x.Length; i++) { double d = double.CreateTruncating(x[i]) - mean; ss += d * d; }
        double std = Math.Sqrt(ss / x.Length);
        double den = std + Epsilon;
        for (int i = 0; i < x.Length; i++) y[i] = T.CreateTruncating((double.CreateTruncating(x[i]) - mean) / den);
    }

    /// <summary>Min–max over the whole span (pass a whole record for MERL-style per-record scaling): <c>(x − min) / (max − min + 1e-8)</c>, giving [0, 1].</summary>
    /// <exception cref="ArgumentException">Lengths differ or the input is empty.</exception>
    public static void MinMax<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        CheckLengths(x.Length, y.Length);
        double min = double.CreateTruncating(TensorPrimitives.Min(x));
        double max = double.CreateTruncating(TensorPrimitives.Max(x));
        double den = max - min + Epsilon;
        for (int i = 0; i < x.Length; i++) y[i] = T.CreateTruncating((double.CreateTruncating(x[i]) - min) / den);
    }

    /// <summary>Robust scaling: <c>(x − median) / (q75 − q25 + 1e-8)</c>, quantiles with numpy's default linear interpolation.</summary>
    /// <exception cref="ArgumentException">Lengths differ or the input is empty.</exception>
    public static void Robust<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        CheckLengths(x.Length, y.Length);
        var sorted = new double[x.Length];
        for (int i = 0; i < x.Length; i++) sorted[i] = double.CreateTruncating(x[i]);
        Array.Sort(sorted);
        double median = Quantile(sorted, 0.5), iqr = Quantile(sorted, 0.75) - Quantile(sorted, 0.25);
        double den = iqr + Epsilon;
        for (int i = 0; i < x.Length; i++) y[i] = T.CreateTruncating((double.CreateTruncating(x[i]) - median) / den);
    }

    /// <summary>numpy.quantile(method='linear') of an ascending array.</summary>
    internal static double Quantile(ReadOnlySpan<double> sorted, double q)
    {
        double pos = q * (sorted.Length - 1);
        int lo = (int)Math.Floor(pos);
        int hi = Math.Min(lo + 1, sorted.Length - 1);
        double frac = pos - lo;
        return sorted[lo] + (sorted[hi] - sorted[lo]) * frac;
    }

    /// <summary>Cuts <paramref name="x"/> to <c>y.Length</c> samples (keeping the start) or copies it and zero-pads the end.</summary>
    public static void CropOrPad<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged
    {
        int n = Math.Min(x.Length, y.Length);
        x[..n].CopyTo(y);
        y[n..].Clear();
    }

    /// <summary>Cuts a window of <c>y.Length</c> samples starting at <paramref name="start"/> (zero-padding past the end).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="start"/> is negative.</exception>
    public static void Crop<T>(ReadOnlySpan<T> x, int start, Span<T> y) where T : unmanaged
    {
        ArgumentOutOfRangeException.ThrowIfNegative(start);
        CropOrPad(start >= x.Length ? [] : x[start..], y);
    }

    private static void CheckLengths(int x, int y)
    {
        if (x != y) throw new ArgumentException($"output length {y} differs from input length {x}");
        if (x == 0) throw new ArgumentException("cannot normalise an empty signal");
    }
}
