using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace EcgClip.Eval.Protocols;

/// <summary>
/// Cross products of two column sets, H[j, k] += factor · Σᵢ Aⱼ[i]·Bₖ[i], the inner loop of every Newton Hessian
/// (Aⱼ = weights ⊙ column j, Bₖ = column k). Columns are contiguous runs of n float64 (column-major).
/// </summary>
/// <remarks>
/// The vector kernel computes 2 × 4 entries at a time with eight 256-bit accumulators, so each pair of A loads and
/// four B loads feed eight multiply-adds (a plain dot product does one per two loads); remaining rows and columns go
/// through <see cref="TensorPrimitives.Dot{T}(ReadOnlySpan{T}, ReadOnlySpan{T})"/>. The summation order differs from
/// <see cref="AccumulateScalar"/>, the reference, by rounding only.
/// </remarks>
internal static class GramKernel
{
    /// <summary>
    /// Adds factor·AᵀB to the row-major block of <paramref name="h"/> at (<paramref name="rowOffset"/>, <paramref name="columnOffset"/>),
    /// leading dimension <paramref name="ld"/>. With <paramref name="upper"/> only entries with k ≥ j are written (A and B
    /// then describe the same symmetric product).
    /// </summary>
    public static void Accumulate(ReadOnlySpan<double> a, int p, ReadOnlySpan<double> b, int q, int n, double factor,
        Span<double> h, int ld, int rowOffset, int columnOffset, bool upper)
    {
        if (!Vector256.IsHardwareAccelerated || n < 2 * Vector256<double>.Count)
        {
            AccumulateScalar(a, p, b, q, n, factor, h, ld, rowOffset, columnOffset, upper);
            return;
        }
        int j = 0;
        for (; j + 2 <= p; j += 2)
        {
            int k = upper ? j / 4 * 4 : 0;
            for (; k + 4 <= q; k += 4) Block2x4(a, b, n, j, k, factor, h, ld, rowOffset, columnOffset, upper);
            for (; k < q; k++)
            {
                Add(h, ld, rowOffset + j, columnOffset + k, factor * TensorPrimitives.Dot(a.Slice(j * n, n), b.Slice(k * n, n)), upper, j, k);
                Add(h, ld, rowOffset + j + 1, columnOffset + k, factor * TensorPrimitives.Dot(a.Slice((j + 1) * n, n), b.Slice(k * n, n)), upper, j + 1, k);
            }
        }
        for (; j < p; j++)
            for (int k = upper ? j : 0; k < q; k++)
                h[(rowOffset + j) * ld + columnOffset + k] += factor * TensorPrimitives.Dot(a.Slice(j * n, n), b.Slice(k * n, n));
    }

    /// <summary>The scalar reference of <see cref="Accumulate"/> (one dot product per entry).</summary>
    public static void AccumulateScalar(ReadOnlySpan<double> a, int p, ReadOnlySpan<double> b, int q, int n, double factor,
        Span<double> h, int ld, int rowOffset, int columnOffset, bool upper)
    {
        for (int j = 0; j < p; j++)
            for (int k = upper ? j : 0; k < q; k++)
            {
                double s = 0;
                for (int i = 0; i < n; i++) s += a[j * n + i] * b[k * n + i];
                h[(rowOffset + j) * ld + columnOffset + k] += factor * s;
            }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Add(Span<double> h, int ld, int row, int column, double value, bool upper, int j, int k)
    {
        if (!upper || k >= j) h[row * ld + column] += value;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Block2x4(ReadOnlySpan<double> a, ReadOnlySpan<double> b, int n, int j, int k, double factor,
        Span<double> h, int ld, int rowOffset, int columnOffset, bool upper)
    {
        ref double ra = ref MemoryMarshal.GetReference(a);
        ref double rb = ref MemoryMarshal.GetReference(b);
        nuint a0 = (nuint)(j * n), a1 = a0 + (nuint)n;
        nuint b0 = (nuint)(k * n), b1 = b0 + (nuint)n, b2 = b1 + (nuint)n, b3 = b2 + (nuint)n;
        Vector256<double> c00 = default, c01 = default, c02 = default, c03 = default;
        Vector256<double> c10 = default, c11 = default, c12 = default, c13 = default;
        int w = Vector256<double>.Count, i = 0;
        for (; i + w <= n; i += w)
        {
            nuint o = (nuint)i;
            var x0 = Vector256.LoadUnsafe(ref ra, a0 + o);
            var x1 = Vector256.LoadUnsafe(ref ra, a1 + o);
            var y = Vector256.LoadUnsafe(ref rb, b0 + o);
            c00 = Vector256.MultiplyAddEstimate(x0, y, c00);
            c10 = Vector256.MultiplyAddEstimate(x1, y, c10);
            y = Vector256.LoadUnsafe(ref rb, b1 + o);
            c01 = Vector256.MultiplyAddEstimate(x0, y, c01);
            c11 = Vector256.MultiplyAddEstimate(x1, y, c11);
            y = Vector256.LoadUnsafe(ref rb, b2 + o);
            c02 = Vector256.MultiplyAddEstimate(x0, y, c02);
            c12 = Vector256.MultiplyAddEstimate(x1, y, c12);
            y = Vector256.LoadUnsafe(ref rb, b3 + o);
            c03 = Vector256.MultiplyAddEstimate(x0, y, c03);
            c13 = Vector256.MultiplyAddEstimate(x1, y, c13);
        }
        Span<double> s = stackalloc double[8];
        s[0] = Vector256.Sum(c00); s[1] = Vector256.Sum(c01); s[2] = Vector256.Sum(c02); s[3] = Vector256.Sum(c03);
        s[4] = Vector256.Sum(c10); s[5] = Vector256.Sum(c11); s[6] = Vector256.Sum(c12); s[7] = Vector256.Sum(c13);
        for (; i < n; i++)
        {
            double x0 = a[(int)a0 + i], x1 = a[(int)a1 + i];
            for (int c = 0; c < 4; c++)
            {
                double y = b[(k + c) * n + i];
                s[c] += x0 * y;
                s[4 + c] += x1 * y;
            }
        }
        for (int r = 0; r < 2; r++)
            for (int c = 0; c < 4; c++)
                Add(h, ld, rowOffset + j + r, columnOffset + k + c, factor * s[r * 4 + c], upper, j + r, k + c);
    }
}
