namespace EcgClip.Signal.Dsp.Filters;

/// <summary>
/// Zero-phase (forward-backward) filtering with scipy.signal's defaults, one channel at a time in float64. This is
/// the scalar reference: it follows scipy's operation order (<c>sosfilt</c>'s and <c>lfilter</c>'s direct form II
/// transposed) so results agree with scipy to rounding. The batched, vectorised path is
/// <see cref="Preprocessing.PreprocessingPipeline"/>.
/// </summary>
public static class ZeroPhaseFilter
{
    /// <summary>
    /// <c>scipy.signal.sosfiltfilt(sos, x, padtype='odd', padlen=None)</c>: odd extension of
    /// <see cref="SecondOrderSections.DefaultPadLength"/> samples at both ends, <see cref="SosFiltZi"/>-scaled initial
    /// conditions in both directions.
    /// </summary>
    /// <param name="sos">The filter.</param>
    /// <param name="x">Input samples.</param>
    /// <param name="y">Output, same length as <paramref name="x"/> (may be the same memory).</param>
    /// <exception cref="ArgumentException">Lengths differ, or <paramref name="x"/> is not longer than the pad length.</exception>
    public static void SosFiltFilt(SecondOrderSections sos, ReadOnlySpan<double> x, Span<double> y)
    {
        ArgumentNullException.ThrowIfNull(sos);
        int pad = sos.DefaultPadLength;
        double[] ext = OddExtend(x, y, pad, "sosfiltfilt");
        double[] zi = SosFiltZi(sos);
        int ns = sos.Count;
        var z = new double[ns * 2];
        for (int i = 0; i < z.Length; i++) z[i] = zi[i] * ext[0];
        SosFilt(sos, ext, z, forward: true);
        for (int i = 0; i < z.Length; i++) z[i] = zi[i] * ext[^1];
        SosFilt(sos, ext, z, forward: false);
        ext.AsSpan(pad, x.Length).CopyTo(y);
    }

    /// <summary>Allocating overload of <see cref="SosFiltFilt(SecondOrderSections, ReadOnlySpan{double}, Span{double})"/>.</summary>
    public static double[] SosFiltFilt(SecondOrderSections sos, ReadOnlySpan<double> x)
    {
        var y = new double[x.Length];
        SosFiltFilt(sos, x, y);
        return y;
    }

    /// <summary>
    /// <c>scipy.signal.filtfilt(b, a, x, padtype='odd', padlen=None, method='pad')</c>: odd extension of
    /// <c>3·max(len(a), len(b))</c> samples, <see cref="LFilterZi"/>-scaled initial conditions in both directions.
    /// </summary>
    /// <param name="filter">The filter (any order).</param>
    /// <param name="x">Input samples.</param>
    /// <param name="y">Output, same length as <paramref name="x"/> (may be the same memory).</param>
    /// <exception cref="ArgumentException">Lengths differ, <c>a[0]</c> is 0, or <paramref name="x"/> is not longer than the pad length.</exception>
    public static void FiltFilt(TransferFunction filter, ReadOnlySpan<double> x, Span<double> y)
    {
        ArgumentNullException.ThrowIfNull(filter);
        int pad = filter.DefaultPadLength;
        double[] ext = OddExtend(x, y, pad, "filtfilt");
        var (b, a) = Normalize(filter);
        double[] zi = LFilterZi(b, a);
        var z = new double[zi.Length];
        for (int i = 0; i < z.Length; i++) z[i] = zi[i] * ext[0];
        LFilter(b, a, ext, z, forward: true);
        for (int i = 0; i < z.Length; i++) z[i] = zi[i] * ext[^1];
        LFilter(b, a, ext, z, forward: false);
        ext.AsSpan(pad, x.Length).CopyTo(y);
    }

    /// <summary>Allocating overload of <see cref="FiltFilt(TransferFunction, ReadOnlySpan{double}, Span{double})"/>.</summary>
    public static double[] FiltFilt(TransferFunction filter, ReadOnlySpan<double> x)
    {
        var y = new double[x.Length];
        FiltFilt(filter, x, y);
        return y;
    }

    /// <summary>
    /// <c>scipy.signal.sosfilt_zi(sos)</c>: initial states (row-major <c>[sections, 2]</c>) for the steady state of
    /// the step response; scale by the first input sample.
    /// </summary>
    public static double[] SosFiltZi(SecondOrderSections sos)
    {
        ArgumentNullException.ThrowIfNull(sos);
        var zi = new double[sos.Count * 2];
        double scale = 1.0;
        for (int s = 0; s < sos.Count; s++)
        {
            double[] b = [sos[s, 0], sos[s, 1], sos[s, 2]];
            double[] a = [sos[s, 3], sos[s, 4], sos[s, 5]];
            double[] z = LFilterZi(b, a);
            zi[2 * s] = scale * z[0];
            zi[2 * s + 1] = scale * z[1];
            scale *= (b[0] + b[1] + b[2]) / (a[0] + a[1] + a[2]);
        }
        return zi;
    }

    /// <summary>
    /// <c>scipy.signal.lfilter_zi(b, a)</c>: the initial state of <c>lfilter</c> for the steady state of the step
    /// response (length <c>max(len(a), len(b)) − 1</c>).
    /// </summary>
    /// <exception cref="ArgumentException">All of <paramref name="a"/> is zero.</exception>
    public static double[] LFilterZi(ReadOnlySpan<double> b, ReadOnlySpan<double> a)
    {
        int lead = 0;
        while (a.Length - lead > 1 && a[lead] == 0.0) lead++;
        a = a[lead..];
        if (a.Length < 1 || a[0] == 0) throw new ArgumentException("there must be at least one non-zero a coefficient");
        int n = Math.Max(a.Length, b.Length);
        var aa = new double[n];
        var bb = new double[n];
        for (int i = 0; i < a.Length; i++) aa[i] = a[0] != 1.0 ? a[i] / a[0] : a[i];
        for (int i = 0; i < b.Length; i++) bb[i] = a[0] != 1.0 ? b[i] / a[0] : b[i];
        int m = n - 1;
        if (m == 0) return [];
        // IminusA = I - companion(a).T ; companion(a)[0, j] = -a[j+1], companion[i+1, i] = 1
        var mat = new double[m, m];
        for (int i = 0; i < m; i++)
            for (int j = 0; j < m; j++)
            {
                double compT = (j == 0 ? -aa[i + 1] : (i == j - 1 ? 1.0 : 0.0)); // companion.T[i, j] = companion[j, i]
                mat[i, j] = (i == j ? 1.0 : 0.0) - compT;
            }
        var rhs = new double[m];
        for (int i = 0; i < m; i++) rhs[i] = bb[i + 1] - aa[i + 1] * bb[0];
        return Solve(mat, rhs);
    }

    /// <summary>Gaussian elimination with partial pivoting (LAPACK gesv's strategy).</summary>
    private static double[] Solve(double[,] mat, double[] rhs)
    {
        int n = rhs.Length;
        var m = (double[,])mat.Clone();
        var r = (double[])rhs.Clone();
        for (int col = 0; col < n; col++)
        {
            int piv = col;
            for (int i = col + 1; i < n; i++) if (Math.Abs(m[i, col]) > Math.Abs(m[piv, col])) piv = i;
            if (m[piv, col] == 0) throw new ArgumentException("lfilter_zi: singular system (filter has a pole at z = 1)");
            if (piv != col)
            {
                for (int j = 0; j < n; j++) (m[col, j], m[piv, j]) = (m[piv, j], m[col, j]);
                (r[col], r[piv]) = (r[piv], r[col]);
            }
            for (int i = col + 1; i < n; i++)
            {
                double f = m[i, col] / m[col, col];
                for (int j = col; j < n; j++) m[i, j] -= f * m[col, j];
                r[i] -= f * r[col];
            }
        }
        var x = new double[n];
        for (int i = n - 1; i >= 0; i--)
        {
            double s = r[i];
            for (int j = i + 1; j < n; j++) s -= m[i, j] * x[j];
            x[i] = s / m[i, i];
        }
        return x;
    }

    internal static (double[] B, double[] A) Normalize(TransferFunction filter)
    {
        double[] a = filter.A, b = filter.B;
        int lead = 0;
        while (a.Length - lead > 1 && a[lead] == 0.0) lead++;
        if (a.Length == 0 || a[lead] == 0) throw new ArgumentException("filter denominator a must have a non-zero leading coefficient");
        double a0 = a[lead];
        var an = new double[a.Length - lead];
        var bn = new double[b.Length];
        for (int i = 0; i < an.Length; i++) an[i] = a[lead + i] / a0;
        for (int i = 0; i < bn.Length; i++) bn[i] = b[i] / a0;
        return (bn, an);
    }

    private static double[] OddExtend(ReadOnlySpan<double> x, Span<double> y, int pad, string what)
    {
        if (x.Length != y.Length) throw new ArgumentException($"{what}: output length {y.Length} differs from input length {x.Length}");
        if (x.Length <= pad)
            throw new ArgumentException($"{what}: the signal has {x.Length} samples but must be longer than the filter's pad length {pad}");
        int n = x.Length;
        var ext = new double[n + 2 * pad];
        x.CopyTo(ext.AsSpan(pad));
        for (int i = 1; i <= pad; i++)
        {
            ext[pad - i] = 2 * x[0] - x[i];
            ext[pad + n - 1 + i] = 2 * x[n - 1] - x[n - 1 - i];
        }
        return ext;
    }

    /// <summary>scipy's _sosfilt inner loop (direct form II transposed per section), in place.</summary>
    private static void SosFilt(SecondOrderSections sos, double[] x, double[] z, bool forward)
    {
        int ns = sos.Count;
        ReadOnlySpan<double> c = sos.RowMajor;
        int n = x.Length;
        for (int k = 0; k < n; k++)
        {
            int t = forward ? k : n - 1 - k;
            double xCur = x[t];
            for (int s = 0; s < ns; s++)
            {
                double xNew = c[s * 6] * xCur + z[2 * s];
                z[2 * s] = c[s * 6 + 1] * xCur - c[s * 6 + 4] * xNew + z[2 * s + 1];
                z[2 * s + 1] = c[s * 6 + 2] * xCur - c[s * 6 + 5] * xNew;
                xCur = xNew;
            }
            x[t] = xCur;
        }
    }

    /// <summary>scipy's lfilter (sigtools DOUBLE_filt) with a normalised filter and state <paramref name="z"/>, in place.</summary>
    private static void LFilter(double[] b, double[] a, double[] x, double[] z, bool forward)
    {
        int len = Math.Max(a.Length, b.Length);
        var bb = new double[len];
        var aa = new double[len];
        b.CopyTo(bb, 0);
        a.CopyTo(aa, 0);
        int n = x.Length;
        for (int k = 0; k < n; k++)
        {
            int t = forward ? k : n - 1 - k;
            double xn = x[t];
            double yn;
            if (len > 1)
            {
                yn = z[0] + bb[0] * xn;
                for (int i = 0; i < len - 2; i++) z[i] = z[i + 1] + xn * bb[i + 1] - yn * aa[i + 1];
                z[len - 2] = xn * bb[len - 1] - yn * aa[len - 1];
            }
            else
            {
                yn = xn * bb[0];
            }
            x[t] = yn;
        }
    }
}
