using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace EcgClip.Signal.Shards;

/// <summary>Quantisation of one lead to int16/float16 with a scale, and the inverse. Allocation-free.</summary>
internal static class SampleCodec
{
    /// <summary>Largest |x| over finite values, and whether any value is NaN (±∞ are treated as NaN).</summary>
    public static float MaxAbsFinite(ReadOnlySpan<double> x, out bool hasNaN)
    {
        double m = 0;
        hasNaN = false;
        foreach (double v in x)
        {
            if (!double.IsFinite(v)) { hasNaN = true; continue; }
            double a = Math.Abs(v);
            if (a > m) m = a;
        }
        return (float)m;
    }

    /// <summary>Encodes <paramref name="x"/> (mV) as int16; returns the scale (mV per step) and whether NaN occurred.</summary>
    public static float EncodeInt16(ReadOnlySpan<double> x, Span<short> dest, out bool hasNaN)
    {
        float max = MaxAbsFinite(x, out hasNaN);
        float scale = max > 0 ? max / 32767f : 1f;
        if (!float.IsNormal(scale)) scale = 1f;
        double inv = 1.0 / scale;
        for (int i = 0; i < x.Length; i++)
        {
            double v = x[i];
            if (!double.IsFinite(v)) { dest[i] = ShardFormat.Int16NaN; continue; }
            double q = Math.Round(v * inv, MidpointRounding.ToEven);
            dest[i] = (short)Math.Clamp(q, -32767, 32767);
        }
        return scale;
    }

    /// <summary>Encodes <paramref name="x"/> (mV) as half floats of x/scale; returns the scale (= max|x|, or 1).</summary>
    public static float EncodeHalf(ReadOnlySpan<double> x, Span<Half> dest)
    {
        float max = MaxAbsFinite(x, out _);
        float scale = max > 0 && float.IsNormal(max) ? max : 1f;
        double inv = 1.0 / scale;
        for (int i = 0; i < x.Length; i++)
        {
            double v = x[i];
            dest[i] = double.IsFinite(v) ? (Half)(v * inv) : Half.NaN;
        }
        return scale;
    }

    /// <summary>
    /// dest[i] = (float)src[i] · scale, with -32768 → NaN when <paramref name="hasNaN"/>. One fused pass (widen,
    /// convert, multiply) vectorised over samples with Vector512 → 256 → 128 and a scalar tail; bit-identical to
    /// <see cref="DecodeInt16Scalar"/>.
    /// </summary>
    public static void DecodeInt16(ReadOnlySpan<short> src, float scale, bool hasNaN, Span<float> dest)
    {
        if (dest.Length < src.Length) throw new ArgumentException($"destination has {dest.Length} elements, need {src.Length}", nameof(dest));
        ref short s = ref MemoryMarshal.GetReference(src);
        ref float d = ref MemoryMarshal.GetReference(dest);
        int n = src.Length, i = 0;
        if (Vector512.IsHardwareAccelerated && n >= Vector512<short>.Count)
        {
            var vs = Vector512.Create(scale);
            for (; i <= n - Vector512<short>.Count; i += Vector512<short>.Count)
            {
                var (lo, hi) = Vector512.Widen(Vector512.LoadUnsafe(ref s, (nuint)i));
                (Vector512.ConvertToSingle(lo) * vs).StoreUnsafe(ref d, (nuint)i);
                (Vector512.ConvertToSingle(hi) * vs).StoreUnsafe(ref d, (nuint)(i + Vector512<int>.Count));
            }
        }
        if (Vector256.IsHardwareAccelerated)
        {
            var vs = Vector256.Create(scale);
            for (; i <= n - Vector256<short>.Count; i += Vector256<short>.Count)
            {
                var (lo, hi) = Vector256.Widen(Vector256.LoadUnsafe(ref s, (nuint)i));
                (Vector256.ConvertToSingle(lo) * vs).StoreUnsafe(ref d, (nuint)i);
                (Vector256.ConvertToSingle(hi) * vs).StoreUnsafe(ref d, (nuint)(i + Vector256<int>.Count));
            }
        }
        if (Vector128.IsHardwareAccelerated)
        {
            var vs = Vector128.Create(scale);
            for (; i <= n - Vector128<short>.Count; i += Vector128<short>.Count)
            {
                var (lo, hi) = Vector128.Widen(Vector128.LoadUnsafe(ref s, (nuint)i));
                (Vector128.ConvertToSingle(lo) * vs).StoreUnsafe(ref d, (nuint)i);
                (Vector128.ConvertToSingle(hi) * vs).StoreUnsafe(ref d, (nuint)(i + Vector128<int>.Count));
            }
        }
        for (; i < n; i++) Unsafe.Add(ref d, i) = Unsafe.Add(ref s, i) * scale;
        if (hasNaN)
            for (int k = 0; k < n; k++)
                if (src[k] == ShardFormat.Int16NaN) dest[k] = float.NaN;
    }

    /// <summary>Scalar reference of <see cref="DecodeInt16"/>.</summary>
    public static void DecodeInt16Scalar(ReadOnlySpan<short> src, float scale, bool hasNaN, Span<float> dest)
    {
        if (dest.Length < src.Length) throw new ArgumentException($"destination has {dest.Length} elements, need {src.Length}", nameof(dest));
        for (int i = 0; i < src.Length; i++)
            dest[i] = hasNaN && src[i] == ShardFormat.Int16NaN ? float.NaN : src[i] * scale;
    }

    /// <summary>dest = src · scale.</summary>
    public static void DecodeHalf(ReadOnlySpan<Half> src, float scale, Span<float> dest)
    {
        TensorPrimitives.ConvertToSingle(src, dest);
        TensorPrimitives.Multiply(dest[..src.Length], scale, dest);
    }
}
