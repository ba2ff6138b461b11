using System.Numerics.Tensors;

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

    /// <summary>dest = src · scale, with -32768 → NaN when <paramref name="hasNaN"/>.</summary>
    public static void DecodeInt16(ReadOnlySpan<short> src, float scale, bool hasNaN, Span<float> dest)
    {
        TensorPrimitives.ConvertTruncating<short, float>(src, dest);
        TensorPrimitives.Multiply(dest[..src.Length], scale, dest);
        if (hasNaN)
            for (int i = 0; i < src.Length; i++)
                if (src[i] == ShardFormat.Int16NaN) dest[i] = float.NaN;
    }

    /// <summary>dest = src · scale.</summary>
    public static void DecodeHalf(ReadOnlySpan<Half> src, float scale, Span<float> dest)
    {
        TensorPrimitives.ConvertToSingle(src, dest);
        TensorPrimitives.Multiply(dest[..src.Length], scale, dest);
    }
}
