using System.Numerics;

namespace EcgClip.Signal.Dsp.Filters;

/// <summary>
/// Port of scipy.signal.zpk2sos (1.10) for digital filters with the default pairing <c>'nearest'</c>: the same
/// conjugate clean-up (<c>_cplxreal</c>), the same "worst pole last" ordering (closest to the unit circle) and the
/// same nearest-zero pairing, so that section order and contents equal scipy's.
/// </summary>
internal static class ZpkToSos
{
    private const double Tolerance = 100 * 2.220446049250313e-16;

    public static double[] Convert(IReadOnlyList<Complex> zeros, IReadOnlyList<Complex> poles, double k)
    {
        var z = zeros.ToList();
        var p = poles.ToList();
        if (z.Count == 0 && p.Count == 0) return [k, 0, 0, 1, 0, 0];

        while (p.Count < z.Count) p.Add(Complex.Zero);
        while (z.Count < p.Count) z.Add(Complex.Zero);
        int nSections = (Math.Max(p.Count, z.Count) + 1) / 2;
        if (p.Count % 2 == 1)
        {
            p.Add(Complex.Zero);
            z.Add(Complex.Zero);
        }

        z = CplxReal(z);
        p = CplxReal(p);

        var sos = new double[nSections * 6];
        for (int si = nSections - 1; si >= 0; si--)
        {
            int p1Idx = IdxWorst(p);
            Complex p1 = p[p1Idx];
            p.RemoveAt(p1Idx);
            int realPolesLeft = p.Count(IsReal);

            if (IsReal(p1) && realPolesLeft == 0)
            {
                // Special case (1): last remaining real pole
                int z1Idx = NearestIdx(z, p1, Which.Real);
                Complex z1 = z[z1Idx];
                z.RemoveAt(z1Idx);
                SingleSection(sos, si, [z1, Complex.Zero], [p1, Complex.Zero]);
            }
            else if (p.Count + 1 == z.Count && !IsReal(p1) && realPolesLeft == 1 && z.Count(IsReal) == 1)
            {
                // Special case (2): one real pole and one real zero left; pair with a complex zero
                int z1Idx = NearestIdx(z, p1, Which.Complex);
                Complex z1 = z[z1Idx];
                z.RemoveAt(z1Idx);
                SingleSection(sos, si, [z1, Complex.Conjugate(z1)], [p1, Complex.Conjugate(p1)]);
            }
            else
            {
                Complex p2;
                if (IsReal(p1))
                {
                    var realIdx = new List<int>();
                    for (int i = 0; i < p.Count; i++) if (IsReal(p[i])) realIdx.Add(i);
                    int w = IdxWorst(realIdx.Select(i => p[i]).ToList());
                    int p2Idx = realIdx[w];
                    p2 = p[p2Idx];
                    p.RemoveAt(p2Idx);
                }
                else
                {
                    p2 = Complex.Conjugate(p1);
                }

                if (z.Count > 0)
                {
                    int z1Idx = NearestIdx(z, p1, Which.Any);
                    Complex z1 = z[z1Idx];
                    z.RemoveAt(z1Idx);
                    if (!IsReal(z1))
                    {
                        SingleSection(sos, si, [z1, Complex.Conjugate(z1)], [p1, p2]);
                    }
                    else if (z.Count > 0)
                    {
                        int z2Idx = NearestIdx(z, p1, Which.Real);
                        Complex z2 = z[z2Idx];
                        z.RemoveAt(z2Idx);
                        SingleSection(sos, si, [z1, z2], [p1, p2]);
                    }
                    else
                    {
                        SingleSection(sos, si, [z1], [p1, p2]);
                    }
                }
                else
                {
                    SingleSection(sos, si, [], [p1, p2]);
                }
            }
        }
        if (p.Count != 0 || z.Count != 0) throw new InvalidOperationException("zpk2sos did not consume all poles and zeros");
        for (int j = 0; j < 3; j++) sos[j] *= k;
        return sos;
    }

    private enum Which { Real, Complex, Any }

    private static bool IsReal(Complex c) => c.Imaginary == 0;

    /// <summary>Digital "worst" pole: argmin |1 − |p|| (first index on ties, like np.argmin).</summary>
    private static int IdxWorst(List<Complex> p)
    {
        int best = 0;
        double bestValue = double.PositiveInfinity;
        for (int i = 0; i < p.Count; i++)
        {
            double v = Math.Abs(1 - Complex.Abs(p[i]));
            if (v < bestValue) { bestValue = v; best = i; }
        }
        return best;
    }

    private static int NearestIdx(List<Complex> from, Complex to, Which which)
    {
        var order = Enumerable.Range(0, from.Count).OrderBy(i => Complex.Abs(from[i] - to)).ToList();
        if (which == Which.Any) return order[0];
        foreach (int i in order)
            if (IsReal(from[i]) == (which == Which.Real)) return i;
        throw new InvalidOperationException("zpk2sos: no zero of the requested kind left");
    }

    /// <summary>One section from up to two zeros and poles: b and a right-aligned, like scipy's _single_zpksos.</summary>
    private static void SingleSection(double[] sos, int si, Complex[] z, Complex[] p)
    {
        double[] b = Poly(z);
        double[] a = Poly(p);
        for (int i = 0; i < b.Length; i++) sos[si * 6 + 3 - b.Length + i] = b[i];
        for (int i = 0; i < a.Length; i++) sos[si * 6 + 6 - a.Length + i] = a[i];
    }

    /// <summary>numpy.poly for up to two roots (real part; the roots here are real or a conjugate pair).</summary>
    private static double[] Poly(Complex[] roots)
    {
        Complex[] c = [Complex.One];
        foreach (var r in roots)
        {
            var next = new Complex[c.Length + 1];
            // convolve(c, [1, -r])
            for (int i = 0; i < next.Length; i++)
            {
                Complex acc = Complex.Zero;
                bool any = false;
                if (i < c.Length) { acc = c[i]; any = true; }
                if (i >= 1)
                {
                    Complex t = Mul(c[i - 1], -r);
                    acc = any ? acc + t : t;
                }
                next[i] = acc;
            }
            c = next;
        }
        return c.Select(v => v.Real).ToArray();
    }

    private static Complex Mul(Complex a, Complex b) =>
        new(a.Real * b.Real - a.Imaginary * b.Imaginary, a.Real * b.Imaginary + a.Imaginary * b.Real);

    /// <summary>scipy's _cplxreal: complex values (one per conjugate pair, averaged) first, then the real ones.</summary>
    private static List<Complex> CplxReal(List<Complex> z)
    {
        if (z.Count == 0) return z;
        var sorted = z.Select((v, i) => (v, i)).OrderBy(t => t.v.Real).ThenBy(t => Math.Abs(t.v.Imaginary)).Select(t => t.v).ToList();
        var reals = new List<double>();
        var rest = new List<Complex>();
        foreach (var v in sorted)
        {
            if (Math.Abs(v.Imaginary) <= Tolerance * Complex.Abs(v)) reals.Add(v.Real);
            else rest.Add(v);
        }
        var result = new List<Complex>(z.Count);
        if (rest.Count > 0)
        {
            var zp = rest.Where(v => v.Imaginary > 0).ToList();
            var zn = rest.Where(v => v.Imaginary < 0).ToList();
            if (zp.Count != zn.Count) throw new ArgumentException("array contains a complex value with no matching conjugate");
            // runs of (approximately) equal real part, each sorted by |imag|
            int start = 0;
            while (start < zp.Count)
            {
                int stop = start;
                while (stop + 1 < zp.Count && zp[stop + 1].Real - zp[stop].Real <= Tolerance * Complex.Abs(zp[stop])) stop++;
                if (stop > start)
                {
                    SortRun(zp, start, stop);
                    SortRun(zn, start, stop);
                }
                start = stop + 1;
            }
            for (int i = 0; i < zp.Count; i++)
            {
                if (Complex.Abs(zp[i] - Complex.Conjugate(zn[i])) > Tolerance * Complex.Abs(zn[i]))
                    throw new ArgumentException("array contains a complex value with no matching conjugate");
                result.Add((zp[i] + Complex.Conjugate(zn[i])) / 2);
            }
        }
        foreach (double r in reals) result.Add(new Complex(r, 0));
        return result;
    }

    private static void SortRun(List<Complex> v, int start, int stop)
    {
        var run = v.GetRange(start, stop - start + 1).OrderBy(c => Math.Abs(c.Imaginary)).ToList();
        for (int i = 0; i < run.Count; i++) v[start + i] = run[i];
    }
}
