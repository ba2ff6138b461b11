using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using System.Runtime.CompilerServices;
using System.Numerics;

namespace EcgClip.Signal.Dsp.Preprocessing;

/// <summary>
/// Vectorised float64 kernels on a channel block stored interleaved: element (t, lane) at <c>t·Lanes + lane</c>, so
/// one vector holds <typeparamref name="TV"/>.Count channels at the same time t. Recursive (IIR) filters are
/// sequential in time, so they are vectorised across the channel (lane) axis; a block is two vectors wide for
/// instruction-level parallelism. Fused multiply-add is used, so results differ from scipy's operation order by
/// rounding only (~1e-15 relative). Nothing here allocates.
/// </summary>
internal static unsafe class InterleavedKernels<TV> where TV : unmanaged, ILaneVector<TV>
{
    /// <summary>Channels per block.</summary>
    public static int Lanes => 2 * TV.Count;

    /// <summary>Writes the odd extension of the signal at rows [p, p+n) into rows [p−pad, p) and [p+n, p+n+pad).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void OddExtend(double* buf, int p, int n, int pad)
    {
        int lanes = Lanes, w = TV.Count;
        double* first = buf + (long)p * lanes;
        double* last = buf + (long)(p + n - 1) * lanes;
        TV two = TV.Broadcast(2.0);
        for (int i = 1; i <= pad; i++)
        {
            for (int o = 0; o < lanes; o += w)
            {
                TV x0 = TV.Load(first + o), xi = TV.Load(first + (long)i * lanes + o);
                TV.Store(TV.Sub(TV.Mul(two, x0), xi), first - (long)i * lanes + o);
                TV xn = TV.Load(last + o), xni = TV.Load(last - (long)i * lanes + o);
                TV.Store(TV.Sub(TV.Mul(two, xn), xni), last + (long)i * lanes + o);
            }
        }
    }

    /// <summary>
    /// Forward-backward run of a biquad cascade (row-major <c>[b0,b1,b2,1,a1,a2]</c>) over rows
    /// [<paramref name="start"/>, <paramref name="end"/>) in place, each direction starting from the states
    /// <c>zi[s]·x0[lane]</c> with x0 the first row visited (scipy's sosfilt_zi / lfilter_zi scaling).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void ZeroPhaseCascade(double* buf, int start, int end, ReadOnlySpan<double> sos, ReadOnlySpan<double> zi, double* states)
    {
        int ns = sos.Length / 6;
        int lanes = Lanes;
        InitStates(buf + (long)start * lanes, zi, states, ns);
        RunCascade(buf, start, end, 1, sos, states, ns);
        InitStates(buf + (long)(end - 1) * lanes, zi, states, ns);
        RunCascade(buf, start, end, -1, sos, states, ns);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void InitStates(double* x0, ReadOnlySpan<double> zi, double* states, int ns)
    {
        int lanes = Lanes;
        for (int s = 0; s < ns; s++)
            for (int j = 0; j < 2; j++)
                for (int l = 0; l < lanes; l++)
                    states[(2 * s + j) * lanes + l] = zi[2 * s + j] * x0[l];
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void RunCascade(double* buf, int start, int end, int dir, ReadOnlySpan<double> sos, double* states, int ns)
    {
        int s = 0;
        for (; s + 2 <= ns; s += 2)
            Cascade2(buf, start, end, dir, sos.Slice(s * 6, 12), states + 2 * s * Lanes);
        if (s < ns)
            Cascade1(buf, start, end, dir, sos.Slice(s * 6, 6), states + 2 * s * Lanes);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Cascade1(double* buf, int start, int end, int dir, ReadOnlySpan<double> c, double* st)
    {
        int lanes = Lanes, w = TV.Count;
        TV b0 = TV.Broadcast(c[0]), b1 = TV.Broadcast(c[1]), b2 = TV.Broadcast(c[2]), na1 = TV.Broadcast(-c[4]), na2 = TV.Broadcast(-c[5]);
        TV z0a = TV.Load(st), z0b = TV.Load(st + w), z1a = TV.Load(st + lanes), z1b = TV.Load(st + lanes + w);
        int count = end - start;
        double* p = dir > 0 ? buf + (long)start * lanes : buf + (long)(end - 1) * lanes;
        long step = dir > 0 ? lanes : -lanes;
        for (int k = 0; k < count; k++, p += step)
        {
            TV xa = TV.Load(p), xb = TV.Load(p + w);
            TV ya = TV.Fma(b0, xa, z0a);
            TV yb = TV.Fma(b0, xb, z0b);
            z0a = TV.Fma(na1, ya, TV.Fma(b1, xa, z1a));
            z0b = TV.Fma(na1, yb, TV.Fma(b1, xb, z1b));
            z1a = TV.Fma(na2, ya, TV.Mul(b2, xa));
            z1b = TV.Fma(na2, yb, TV.Mul(b2, xb));
            TV.Store(ya, p);
            TV.Store(yb, p + w);
        }
        TV.Store(z0a, st); TV.Store(z0b, st + w); TV.Store(z1a, st + lanes); TV.Store(z1b, st + lanes + w);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Cascade2(double* buf, int start, int end, int dir, ReadOnlySpan<double> c, double* st)
    {
        int lanes = Lanes, w = TV.Count;
        TV b0 = TV.Broadcast(c[0]), b1 = TV.Broadcast(c[1]), b2 = TV.Broadcast(c[2]), na1 = TV.Broadcast(-c[4]), na2 = TV.Broadcast(-c[5]);
        TV d0 = TV.Broadcast(c[6]), d1 = TV.Broadcast(c[7]), d2 = TV.Broadcast(c[8]), nc1 = TV.Broadcast(-c[10]), nc2 = TV.Broadcast(-c[11]);
        TV z0a = TV.Load(st), z0b = TV.Load(st + w), z1a = TV.Load(st + lanes), z1b = TV.Load(st + lanes + w);
        double* st2 = st + 2 * lanes;
        TV u0a = TV.Load(st2), u0b = TV.Load(st2 + w), u1a = TV.Load(st2 + lanes), u1b = TV.Load(st2 + lanes + w);
        int count = end - start;
        double* p = dir > 0 ? buf + (long)start * lanes : buf + (long)(end - 1) * lanes;
        long step = dir > 0 ? lanes : -lanes;
        for (int k = 0; k < count; k++, p += step)
        {
            TV xa = TV.Load(p), xb = TV.Load(p + w);
            TV ya = TV.Fma(b0, xa, z0a);
            TV yb = TV.Fma(b0, xb, z0b);
            z0a = TV.Fma(na1, ya, TV.Fma(b1, xa, z1a));
            z0b = TV.Fma(na1, yb, TV.Fma(b1, xb, z1b));
            z1a = TV.Fma(na2, ya, TV.Mul(b2, xa));
            z1b = TV.Fma(na2, yb, TV.Mul(b2, xb));
            TV va = TV.Fma(d0, ya, u0a);
            TV vb = TV.Fma(d0, yb, u0b);
            u0a = TV.Fma(nc1, va, TV.Fma(d1, ya, u1a));
            u0b = TV.Fma(nc1, vb, TV.Fma(d1, yb, u1b));
            u1a = TV.Fma(nc2, va, TV.Mul(d2, ya));
            u1b = TV.Fma(nc2, vb, TV.Mul(d2, yb));
            TV.Store(va, p);
            TV.Store(vb, p + w);
        }
        TV.Store(z0a, st); TV.Store(z0b, st + w); TV.Store(z1a, st + lanes); TV.Store(z1b, st + lanes + w);
        TV.Store(u0a, st2); TV.Store(u0b, st2 + w); TV.Store(u1a, st2 + lanes); TV.Store(u1b, st2 + lanes + w);
    }

    /// <summary>
    /// Polyphase resampling of rows [p, p+n) of <paramref name="src"/> into rows [0, nOut) of <paramref name="dst"/>,
    /// computing only kept outputs: <c>y[m] = Σ_i x[i]·h[k − i·up]</c>, <c>k = (m + preRemove)·down</c>, i ascending
    /// (scipy's upfirdn order). Interior outputs go four at a time (outputs m, m+up, m+2up, m+3up share their taps)
    /// using the resampler's per-phase tap tables; edge outputs use every tap.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Resample(double* src, int p, int n, double* dst, int nOut, Resampling.PolyphaseResampler rs)
    {
        int lanes = Lanes, w = TV.Count;
        int up = rs.Up, down = rs.Down, preRemove = rs.PreRemove;
        ReadOnlySpan<double> h = rs.PaddedTaps;
        int lh = h.Length;
        double* x = src + (long)p * lanes;
        fixed (double* hp = h)
        {
            int m = 0;
            int blockSpan = 4 * up;
            long step = (long)down * lanes, ostep = (long)up * lanes;
            while (m < nOut)
            {
                if (m + blockSpan <= nOut && IsInterior(m, preRemove, up, down, lh, n) && IsInterior(m + blockSpan - 1, preRemove, up, down, lh, n))
                {
                    for (int phase = 0; phase < up; phase++)
                    {
                        int m0 = m + phase;
                        long k = (long)(m0 + preRemove) * down;
                        long hi = k / up;
                        int r = (int)(k - hi * up);
                        double[] tv = rs.PhaseTapValues[r];
                        int[] to = rs.PhaseTapOffsets[r];
                        double* x0 = x + hi * lanes, x1 = x0 + step, x2 = x1 + step, x3 = x2 + step;
                        TV a0 = TV.Zero, b0 = TV.Zero, a1 = TV.Zero, b1 = TV.Zero, a2 = TV.Zero, b2 = TV.Zero, a3 = TV.Zero, b3 = TV.Zero;
                        fixed (double* tvp = tv)
                        fixed (int* top = to)
                        {
                            int nt = tv.Length;
                            for (int q = 0; q < nt; q++)
                            {
                                TV c = TV.Broadcast(tvp[q]);
                                long o = -(long)top[q] * lanes;
                                a0 = TV.Fma(TV.Load(x0 + o), c, a0); b0 = TV.Fma(TV.Load(x0 + o + w), c, b0);
                                a1 = TV.Fma(TV.Load(x1 + o), c, a1); b1 = TV.Fma(TV.Load(x1 + o + w), c, b1);
                                a2 = TV.Fma(TV.Load(x2 + o), c, a2); b2 = TV.Fma(TV.Load(x2 + o + w), c, b2);
                                a3 = TV.Fma(TV.Load(x3 + o), c, a3); b3 = TV.Fma(TV.Load(x3 + o + w), c, b3);
                            }
                        }
                        double* d = dst + (long)m0 * lanes;
                        TV.Store(a0, d); TV.Store(b0, d + w);
                        TV.Store(a1, d + ostep); TV.Store(b1, d + ostep + w);
                        TV.Store(a2, d + 2 * ostep); TV.Store(b2, d + 2 * ostep + w);
                        TV.Store(a3, d + 3 * ostep); TV.Store(b3, d + 3 * ostep + w);
                    }
                    m += blockSpan;
                }
                else
                {
                    ResampleOne(x, n, dst, m, hp, lh, up, down, preRemove);
                    m++;
                }
            }
        }
    }

    private static bool IsInterior(int m, int preRemove, int up, int down, int lh, int n)
    {
        long k = (long)(m + preRemove) * down;
        return k - (lh - 1) >= 0 && k / up <= n - 1;
    }

    private static void ResampleOne(double* x, int n, double* dst, int m, double* hp, int lh, int up, int down, int preRemove)
    {
        int lanes = Lanes, w = TV.Count;
        long k = (long)(m + preRemove) * down;
        long hi = Math.Min(n - 1, k / up);
        long lo = k - (lh - 1);
        lo = lo <= 0 ? 0 : (lo + up - 1) / up;
        TV a0 = TV.Zero, b0 = TV.Zero;
        for (long i = lo; i <= hi; i++)
        {
            TV c = TV.Broadcast(hp[k - i * up]);
            a0 = TV.Fma(TV.Load(x + i * lanes), c, a0);
            b0 = TV.Fma(TV.Load(x + i * lanes + w), c, b0);
        }
        double* o = dst + (long)m * lanes;
        TV.Store(a0, o);
        TV.Store(b0, o + w);
    }

    /// <summary>Per-lane mean and population standard deviation (ddof 0, two-pass) of rows [p, p+n).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void MeanStd(double* buf, int p, int n, double* mean, double* std)
    {
        int lanes = Lanes, w = TV.Count;
        double* x = buf + (long)p * lanes;
        TV sa = TV.Zero, sb = TV.Zero, sa2 = TV.Zero, sb2 = TV.Zero;
        int t = 0;
        for (; t + 1 < n; t += 2)
        {
            double* r = x + (long)t * lanes;
            sa = TV.Add(sa, TV.Load(r)); sb = TV.Add(sb, TV.Load(r + w));
            sa2 = TV.Add(sa2, TV.Load(r + lanes)); sb2 = TV.Add(sb2, TV.Load(r + lanes + w));
        }
        if (t < n) { double* r = x + (long)t * lanes; sa = TV.Add(sa, TV.Load(r)); sb = TV.Add(sb, TV.Load(r + w)); }
        TV count = TV.Broadcast(n);
        TV ma = TV.Div(TV.Add(sa, sa2), count), mb = TV.Div(TV.Add(sb, sb2), count);
        TV qa = TV.Zero, qb = TV.Zero, qa2 = TV.Zero, qb2 = TV.Zero;
        t = 0;
        for (; t + 1 < n; t += 2)
        {
            double* r = x + (long)t * lanes;
            TV da = TV.Sub(TV.Load(r), ma), db = TV.Sub(TV.Load(r + w), mb);
            TV ea = TV.Sub(TV.Load(r + lanes), ma), eb = TV.Sub(TV.Load(r + lanes + w), mb);
            qa = TV.Fma(da, da, qa); qb = TV.Fma(db, db, qb);
            qa2 = TV.Fma(ea, ea, qa2); qb2 = TV.Fma(eb, eb, qb2);
        }
        if (t < n)
        {
            double* r = x + (long)t * lanes;
            TV da = TV.Sub(TV.Load(r), ma), db = TV.Sub(TV.Load(r + w), mb);
            qa = TV.Fma(da, da, qa); qb = TV.Fma(db, db, qb);
        }
        TV.Store(ma, mean); TV.Store(mb, mean + w);
        TV.Store(TV.Sqrt(TV.Div(TV.Add(qa, qa2), count)), std);
        TV.Store(TV.Sqrt(TV.Div(TV.Add(qb, qb2), count)), std + w);
    }

    private const int Tile = 64;

    /// <summary>
    /// Gathers <paramref name="rows"/> (≤ Lanes) channel rows of length n into interleaved rows [p, p+n); missing
    /// lanes are zero. Returns false when any gathered value is NaN or infinite (checked on the fly: x − x).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool Gather<T>(T* src, long rowStride, int rows, int n, double* buf, int p)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        int lanes = Lanes;
        double* dst = buf + (long)p * lanes;
        if (rows == lanes && rowStride * lanes < int.MaxValue && TryGatherHardware(src, (int)rowStride, n, dst, out bool finite)) return finite;
        double acc = 0;
        for (int t0 = 0; t0 < n; t0 += Tile)
        {
            int t1 = Math.Min(n, t0 + Tile);
            for (int r = 0; r < lanes; r++)
            {
                double* d = dst + r;
                if (r >= rows)
                {
                    for (int t = t0; t < t1; t++) d[(long)t * lanes] = 0;
                    continue;
                }
                T* s = src + r * rowStride;
                for (int t = t0; t < t1; t++)
                {
                    double v = double.CreateTruncating(s[t]);
                    acc += v - v;
                    d[(long)t * lanes] = v;
                }
            }
        }
        return acc == 0;
    }

    /// <summary>Full-block transpose with the CPU's gather instructions (AVX2, AVX-512 conversions); false when unavailable.</summary>
    private static bool TryGatherHardware<T>(T* src, int stride, int n, double* dst, out bool finite) where T : unmanaged
    {
        finite = true;
        if (TV.Count == 8 && Avx512F.IsSupported && Avx2.IsSupported)
        {
            if (typeof(T) == typeof(float))
            {
                Vector256<int> idx = Vector256<int>.Indices * stride;
                float* s = (float*)src;
                float* s8 = s + 8L * stride;
                Vector256<float> acc = Vector256<float>.Zero;
                for (int t = 0; t < n; t++, dst += 16)
                {
                    Vector256<float> a = Avx2.GatherVector256(s + t, idx, 4), b = Avx2.GatherVector256(s8 + t, idx, 4);
                    acc += (a - a) + (b - b);
                    Vector512.Store(Avx512F.ConvertToVector512Double(a), dst);
                    Vector512.Store(Avx512F.ConvertToVector512Double(b), dst + 8);
                }
                finite = acc == Vector256<float>.Zero;
                return true;
            }
            if (typeof(T) == typeof(double))
            {
                Vector128<int> idx = Vector128<int>.Indices * stride;
                double* s = (double*)src;
                long q = 4L * stride;
                Vector256<double> acc = Vector256<double>.Zero;
                for (int t = 0; t < n; t++, dst += 16)
                {
                    Vector256<double> a = Avx2.GatherVector256(s + t, idx, 8), b = Avx2.GatherVector256(s + q + t, idx, 8);
                    Vector256<double> c = Avx2.GatherVector256(s + 2 * q + t, idx, 8), d = Avx2.GatherVector256(s + 3 * q + t, idx, 8);
                    acc += ((a - a) + (b - b)) + ((c - c) + (d - d));
                    Vector256.Store(a, dst);
                    Vector256.Store(b, dst + 4);
                    Vector256.Store(c, dst + 8);
                    Vector256.Store(d, dst + 12);
                }
                finite = acc == Vector256<double>.Zero;
                return true;
            }
        }
        if (TV.Count == 4 && Avx2.IsSupported)
        {
            if (typeof(T) == typeof(float))
            {
                Vector256<int> idx = Vector256<int>.Indices * stride;
                float* s = (float*)src;
                Vector256<float> acc = Vector256<float>.Zero;
                for (int t = 0; t < n; t++, dst += 8)
                {
                    Vector256<float> v = Avx2.GatherVector256(s + t, idx, 4);
                    acc += v - v;
                    Vector256.Store(Avx.ConvertToVector256Double(v.GetLower()), dst);
                    Vector256.Store(Avx.ConvertToVector256Double(v.GetUpper()), dst + 4);
                }
                finite = acc == Vector256<float>.Zero;
                return true;
            }
            if (typeof(T) == typeof(double))
            {
                Vector128<int> idx = Vector128<int>.Indices * stride;
                double* s = (double*)src;
                double* s4 = s + 4L * stride;
                Vector256<double> acc = Vector256<double>.Zero;
                for (int t = 0; t < n; t++, dst += 8)
                {
                    Vector256<double> a = Avx2.GatherVector256(s + t, idx, 8), b = Avx2.GatherVector256(s4 + t, idx, 8);
                    acc += (a - a) + (b - b);
                    Vector256.Store(a, dst);
                    Vector256.Store(b, dst + 4);
                }
                finite = acc == Vector256<double>.Zero;
                return true;
            }
        }
        return false;
    }

    /// <summary>Scatters interleaved rows [p, p+n) to <paramref name="rows"/> channel rows, applying (x − shift)·scale when given.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Scatter<T>(double* buf, int p, int n, T* dst, long rowStride, int rows, double* shift, double* scale)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        int lanes = Lanes;
        double* src = buf + (long)p * lanes;
        if (Avx2.IsSupported && (typeof(T) == typeof(float) || typeof(T) == typeof(double)))
        {
            // Row by row: gather 4 samples of one lane (stride = Lanes), scale, convert, store contiguously.
            Vector128<int> idx = Vector128<int>.Indices * lanes;
            const int tile = 128; // 128 rows × Lanes doubles stay in L1 while every lane is written out
            for (int t0 = 0; t0 < n; t0 += tile)
            {
                int t1 = Math.Min(n, t0 + tile);
                for (int r = 0; r < rows; r++)
                {
                    double* s = src + r;
                    T* d = dst + r * rowStride;
                    Vector256<double> m = Vector256.Create(shift is null ? 0.0 : shift[r]), k = Vector256.Create(shift is null ? 1.0 : scale[r]);
                    int t = t0;
                    for (; t + 4 <= t1; t += 4)
                    {
                        Vector256<double> v = (Avx2.GatherVector256(s + (long)t * lanes, idx, 8) - m) * k;
                        if (typeof(T) == typeof(float)) Vector128.Store(Avx.ConvertToVector128Single(v), (float*)(d + t));
                        else Vector256.Store(v, (double*)(d + t));
                    }
                    double ms = m.ToScalar(), ks = k.ToScalar();
                    for (; t < t1; t++) d[t] = T.CreateTruncating((s[(long)t * lanes] - ms) * ks);
                }
            }
            return;
        }
        for (int t0 = 0; t0 < n; t0 += Tile)
        {
            int t1 = Math.Min(n, t0 + Tile);
            for (int r = 0; r < rows; r++)
            {
                double* s = src + r;
                T* d = dst + r * rowStride;
                if (shift is null)
                {
                    for (int t = t0; t < t1; t++) d[t] = T.CreateTruncating(s[(long)t * lanes]);
                }
                else
                {
                    double m = shift[r], k = scale[r];
                    for (int t = t0; t < t1; t++) d[t] = T.CreateTruncating((s[(long)t * lanes] - m) * k);
                }
            }
        }
    }
}
