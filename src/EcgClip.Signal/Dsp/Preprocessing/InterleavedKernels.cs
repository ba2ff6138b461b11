using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using V = System.Runtime.Intrinsics.Vector256<double>;
using VX = System.Runtime.Intrinsics.Vector256;

namespace EcgClip.Signal.Dsp.Preprocessing;

/// <summary>
/// Vectorised float64 kernels on a channel block stored interleaved: element (t, lane) at <c>t·Lanes + lane</c>, so
/// one vector holds <see cref="V"/>.Count channels at the same time t. Recursive (IIR) filters are sequential in
/// time, so they are vectorised across the channel (lane) axis; each block is two vectors wide for instruction-level
/// parallelism. Fused multiply-add is used, so results differ from scipy's operation order by rounding only.
/// Nothing here allocates.
/// </summary>
internal static unsafe class InterleavedKernels
{
    /// <summary>Channels per block.</summary>
    public static readonly int Lanes = 2 * V.Count;

    /// <summary>Writes the odd extension of the signal at rows [p, p+n) into rows [p−pad, p) and [p+n, p+n+pad).</summary>
    public static void OddExtend(double* buf, int p, int n, int pad)
    {
        int lanes = Lanes;
        double* first = buf + (long)p * lanes;
        double* last = buf + (long)(p + n - 1) * lanes;
        V two = VX.Create(2.0);
        for (int i = 1; i <= pad; i++)
        {
            for (int h = 0; h < 2; h++)
            {
                int o = h * V.Count;
                V x0 = VX.Load(first + o), xi = VX.Load(first + (long)i * lanes + o);
                VX.Store(two * x0 - xi, first - (long)i * lanes + o);
                V xn = VX.Load(last + o), xni = VX.Load(last - (long)i * lanes + o);
                VX.Store(two * xn - xni, last + (long)i * lanes + o);
            }
        }
    }

    /// <summary>
    /// Runs a cascade of biquads (coefficients row-major <c>[b0,b1,b2,1,a1,a2]</c>) over rows
    /// [<paramref name="start"/>, <paramref name="end"/>) in place, forwards or backwards, with initial states
    /// <c>zi[s]·x0[lane]</c> where x0 is the first row visited (scipy's sosfilt_zi/lfilter_zi scaling).
    /// </summary>
    public static void ZeroPhaseCascade(double* buf, int start, int end, ReadOnlySpan<double> sos, ReadOnlySpan<double> zi, double* states)
    {
        int ns = sos.Length / 6;
        int lanes = Lanes;
        // forward
        InitStates(buf + (long)start * lanes, zi, states, ns);
        RunCascade(buf, start, end, 1, sos, states, ns);
        InitStates(buf + (long)(end - 1) * lanes, zi, states, ns);
        RunCascade(buf, start, end, -1, sos, states, ns);
    }

    private static void InitStates(double* x0, ReadOnlySpan<double> zi, double* states, int ns)
    {
        int lanes = Lanes;
        for (int s = 0; s < ns; s++)
            for (int j = 0; j < 2; j++)
                for (int l = 0; l < lanes; l++)
                    states[(2 * s + j) * lanes + l] = zi[2 * s + j] * x0[l];
    }

    private static void RunCascade(double* buf, int start, int end, int dir, ReadOnlySpan<double> sos, double* states, int ns)
    {
        int s = 0;
        for (; s + 2 <= ns; s += 2)
            Cascade2(buf, start, end, dir, sos.Slice(s * 6, 12), states + 2 * s * Lanes);
        if (s < ns)
            Cascade1(buf, start, end, dir, sos.Slice(s * 6, 6), states + 2 * s * Lanes);
    }

    private static void Cascade1(double* buf, int start, int end, int dir, ReadOnlySpan<double> c, double* st)
    {
        int lanes = Lanes, w = V.Count;
        V b0 = VX.Create(c[0]), b1 = VX.Create(c[1]), b2 = VX.Create(c[2]), na1 = VX.Create(-c[4]), na2 = VX.Create(-c[5]);
        V z0a = VX.Load(st), z0b = VX.Load(st + w), z1a = VX.Load(st + lanes), z1b = VX.Load(st + lanes + w);
        int count = end - start;
        double* p = dir > 0 ? buf + (long)start * lanes : buf + (long)(end - 1) * lanes;
        long step = dir > 0 ? lanes : -lanes;
        for (int k = 0; k < count; k++, p += step)
        {
            V xa = VX.Load(p), xb = VX.Load(p + w);
            V ya = VX.FusedMultiplyAdd(b0, xa, z0a);
            V yb = VX.FusedMultiplyAdd(b0, xb, z0b);
            z0a = VX.FusedMultiplyAdd(na1, ya, VX.FusedMultiplyAdd(b1, xa, z1a));
            z0b = VX.FusedMultiplyAdd(na1, yb, VX.FusedMultiplyAdd(b1, xb, z1b));
            z1a = VX.FusedMultiplyAdd(na2, ya, b2 * xa);
            z1b = VX.FusedMultiplyAdd(na2, yb, b2 * xb);
            VX.Store(ya, p);
            VX.Store(yb, p + w);
        }
        VX.Store(z0a, st); VX.Store(z0b, st + w); VX.Store(z1a, st + lanes); VX.Store(z1b, st + lanes + w);
    }

    private static void Cascade2(double* buf, int start, int end, int dir, ReadOnlySpan<double> c, double* st)
    {
        int lanes = Lanes, w = V.Count;
        V b0 = VX.Create(c[0]), b1 = VX.Create(c[1]), b2 = VX.Create(c[2]), na1 = VX.Create(-c[4]), na2 = VX.Create(-c[5]);
        V d0 = VX.Create(c[6]), d1 = VX.Create(c[7]), d2 = VX.Create(c[8]), nc1 = VX.Create(-c[10]), nc2 = VX.Create(-c[11]);
        V z0a = VX.Load(st), z0b = VX.Load(st + w), z1a = VX.Load(st + lanes), z1b = VX.Load(st + lanes + w);
        double* st2 = st + 2 * lanes;
        V u0a = VX.Load(st2), u0b = VX.Load(st2 + w), u1a = VX.Load(st2 + lanes), u1b = VX.Load(st2 + lanes + w);
        int count = end - start;
        double* p = dir > 0 ? buf + (long)start * lanes : buf + (long)(end - 1) * lanes;
        long step = dir > 0 ? lanes : -lanes;
        for (int k = 0; k < count; k++, p += step)
        {
            V xa = VX.Load(p), xb = VX.Load(p + w);
            V ya = VX.FusedMultiplyAdd(b0, xa, z0a);
            V yb = VX.FusedMultiplyAdd(b0, xb, z0b);
            z0a = VX.FusedMultiplyAdd(na1, ya, VX.FusedMultiplyAdd(b1, xa, z1a));
            z0b = VX.FusedMultiplyAdd(na1, yb, VX.FusedMultiplyAdd(b1, xb, z1b));
            z1a = VX.FusedMultiplyAdd(na2, ya, b2 * xa);
            z1b = VX.FusedMultiplyAdd(na2, yb, b2 * xb);
            V va = VX.FusedMultiplyAdd(d0, ya, u0a);
            V vb = VX.FusedMultiplyAdd(d0, yb, u0b);
            u0a = VX.FusedMultiplyAdd(nc1, va, VX.FusedMultiplyAdd(d1, ya, u1a));
            u0b = VX.FusedMultiplyAdd(nc1, vb, VX.FusedMultiplyAdd(d1, yb, u1b));
            u1a = VX.FusedMultiplyAdd(nc2, va, d2 * ya);
            u1b = VX.FusedMultiplyAdd(nc2, vb, d2 * yb);
            VX.Store(va, p);
            VX.Store(vb, p + w);
        }
        VX.Store(z0a, st); VX.Store(z0b, st + w); VX.Store(z1a, st + lanes); VX.Store(z1b, st + lanes + w);
        VX.Store(u0a, st2); VX.Store(u0b, st2 + w); VX.Store(u1a, st2 + lanes); VX.Store(u1b, st2 + lanes + w);
    }

    /// <summary>
    /// Polyphase resampling of rows [p, p+n) of <paramref name="src"/> into rows [0, nOut) of <paramref name="dst"/>,
    /// computing only kept outputs: <c>y[m] = Σ_i x[i]·h[k − i·up]</c>, <c>k = (m + preRemove)·down</c>, i ascending.
    /// </summary>
    public static void Resample(double* src, int p, int n, double* dst, int nOut, ReadOnlySpan<double> h, int up, int down, int preRemove)
    {
        int lanes = Lanes, w = V.Count;
        int lh = h.Length;
        double* x = src + (long)p * lanes;
        fixed (double* hp = h)
        {
            for (int m = 0; m < nOut; m++)
            {
                long k = (long)(m + preRemove) * down;
                long hi = Math.Min(n - 1, k / up);
                long lo = k - (lh - 1);
                lo = lo <= 0 ? 0 : (lo + up - 1) / up;
                V a0 = V.Zero, b0 = V.Zero, a1 = V.Zero, b1 = V.Zero;
                long i = lo;
                double* xi = x + i * lanes;
                double* hk = hp + (k - i * up);
                long hstep = up;
                for (; i + 1 <= hi; i += 2, xi += 2 * lanes, hk -= 2 * hstep)
                {
                    V c0 = VX.Create(*hk), c1 = VX.Create(*(hk - hstep));
                    a0 = VX.FusedMultiplyAdd(VX.Load(xi), c0, a0);
                    b0 = VX.FusedMultiplyAdd(VX.Load(xi + w), c0, b0);
                    a1 = VX.FusedMultiplyAdd(VX.Load(xi + lanes), c1, a1);
                    b1 = VX.FusedMultiplyAdd(VX.Load(xi + lanes + w), c1, b1);
                }
                if (i <= hi)
                {
                    V c0 = VX.Create(*hk);
                    a0 = VX.FusedMultiplyAdd(VX.Load(xi), c0, a0);
                    b0 = VX.FusedMultiplyAdd(VX.Load(xi + w), c0, b0);
                }
                double* o = dst + (long)m * lanes;
                VX.Store(a0 + a1, o);
                VX.Store(b0 + b1, o + w);
            }
        }
    }

    /// <summary>Per-lane mean and population standard deviation (ddof 0, two-pass) of rows [p, p+n).</summary>
    public static void MeanStd(double* buf, int p, int n, double* mean, double* std)
    {
        int lanes = Lanes, w = V.Count;
        double* x = buf + (long)p * lanes;
        V sa = V.Zero, sb = V.Zero, sa2 = V.Zero, sb2 = V.Zero;
        int t = 0;
        for (; t + 1 < n; t += 2)
        {
            double* r = x + (long)t * lanes;
            sa += VX.Load(r); sb += VX.Load(r + w);
            sa2 += VX.Load(r + lanes); sb2 += VX.Load(r + lanes + w);
        }
        if (t < n) { double* r = x + (long)t * lanes; sa += VX.Load(r); sb += VX.Load(r + w); }
        V inv = VX.Create((double)n);
        V ma = (sa + sa2) / inv, mb = (sb + sb2) / inv;
        V qa = V.Zero, qb = V.Zero, qa2 = V.Zero, qb2 = V.Zero;
        t = 0;
        for (; t + 1 < n; t += 2)
        {
            double* r = x + (long)t * lanes;
            V da = VX.Load(r) - ma, db = VX.Load(r + w) - mb;
            V ea = VX.Load(r + lanes) - ma, eb = VX.Load(r + lanes + w) - mb;
            qa = VX.FusedMultiplyAdd(da, da, qa); qb = VX.FusedMultiplyAdd(db, db, qb);
            qa2 = VX.FusedMultiplyAdd(ea, ea, qa2); qb2 = VX.FusedMultiplyAdd(eb, eb, qb2);
        }
        if (t < n)
        {
            double* r = x + (long)t * lanes;
            V da = VX.Load(r) - ma, db = VX.Load(r + w) - mb;
            qa = VX.FusedMultiplyAdd(da, da, qa); qb = VX.FusedMultiplyAdd(db, db, qb);
        }
        VX.Store(ma, mean); VX.Store(mb, mean + w);
        VX.Store(VX.Sqrt((qa + qa2) / inv), std); VX.Store(VX.Sqrt((qb + qb2) / inv), std + w);
    }

    /// <summary>In place: x ← (x − shift[lane]) · scale[lane] on rows [p, p+n).</summary>
    public static void ShiftScale(double* buf, int p, int n, double* shift, double* scale)
    {
        int lanes = Lanes, w = V.Count;
        V ma = VX.Load(shift), mb = VX.Load(shift + w), ka = VX.Load(scale), kb = VX.Load(scale + w);
        double* x = buf + (long)p * lanes;
        for (int t = 0; t < n; t++, x += lanes)
        {
            VX.Store((VX.Load(x) - ma) * ka, x);
            VX.Store((VX.Load(x + w) - mb) * kb, x + w);
        }
    }

    /// <summary>Gathers <paramref name="rows"/> (≤ Lanes) channel rows of length n into interleaved rows [p, p+n); missing lanes are zero.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Gather<T>(T* src, long rowStride, int rows, int n, double* buf, int p)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        int lanes = Lanes;
        double* dst = buf + (long)p * lanes;
        for (int r = 0; r < lanes; r++)
        {
            double* d = dst + r;
            if (r >= rows)
            {
                for (int t = 0; t < n; t++) d[(long)t * lanes] = 0;
                continue;
            }
            T* s = src + r * rowStride;
            for (int t = 0; t < n; t++) d[(long)t * lanes] = double.CreateTruncating(s[t]);
        }
    }

    /// <summary>Scatters interleaved rows [p, p+n) to <paramref name="rows"/> channel rows, optionally applying (x − shift)·scale.</summary>
    public static void Scatter<T>(double* buf, int p, int n, T* dst, long rowStride, int rows, double* shift, double* scale)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        int lanes = Lanes;
        double* src = buf + (long)p * lanes;
        for (int r = 0; r < rows; r++)
        {
            double* s = src + r;
            T* d = dst + r * rowStride;
            if (shift is null)
            {
                for (int t = 0; t < n; t++) d[t] = T.CreateTruncating(s[(long)t * lanes]);
            }
            else
            {
                double m = shift[r], k = scale[r];
                for (int t = 0; t < n; t++) d[t] = T.CreateTruncating((s[(long)t * lanes] - m) * k);
            }
        }
    }
}
