using System.Numerics.Tensors;
using System.Numerics;
namespace EcgClip.Signal.Dsp.Normalization;

/// <summary>How non-finite samples (NaN, ±∞) are repaired.</summary>
[System.Text.Json.Serialization.JsonConverter(typeof(System.Text.Json.Serialization.JsonStringEnumConverter<NonFiniteRepair>))]
public enum NonFiniteRepair
{
    /// <summary>Replace them with 0.</summary>
    Zero,
    /// <summary>Linear interpolation between the nearest finite neighbours; constant extrapolation at the ends; all-bad leads become 0.</summary>
    Interpolate,
}

/// <summary>Detection and repair of NaN/∞ samples (formats mark missing samples as NaN).</summary>
public static class NonFinite
{
    /// <summary>Index of the first NaN or infinite value, or −1.</summary>
    public static int IndexOfFirst<T>(ReadOnlySpan<T> x) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        // A chunk's (vectorised) sum is finite when all its values are; only a non-finite sum needs a scan.
        const int chunk = 4096;
        for (int s = 0; s < x.Length; s += chunk)
        {
            var part = x.Slice(s, Math.Min(chunk, x.Length - s));
            if (T.IsFinite(TensorPrimitives.Sum(part))) continue;
            for (int i = 0; i < part.Length; i++) if (!T.IsFinite(part[i])) return s + i;
        }
        return -1;
    }

    /// <summary>Throws when any value of a <c>[records, leads, samples]</c> batch is NaN or infinite, naming where.</summary>
    /// <exception cref="ArgumentException">A non-finite value was found.</exception>
    public static void ThrowIfAny<T>(ReadOnlySpan<T> batch, int leads, int samples) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        int i = IndexOfFirst(batch);
        if (i < 0) return;
        long rec = i / ((long)leads * samples), lead = i / samples % leads, t = i % samples;
        throw new ArgumentException(
            $"record {rec}, lead {lead}, sample {t} is {batch[i]} (non-finite input); repair or drop such records before preprocessing");
    }

    /// <summary>Repairs non-finite samples of one lead in place; returns how many were replaced.</summary>
    public static int Repair<T>(Span<T> x, NonFiniteRepair mode) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        int count = 0;
        if (mode == NonFiniteRepair.Zero)
        {
            for (int i = 0; i < x.Length; i++) if (!T.IsFinite(x[i])) { x[i] = T.Zero; count++; }
            return count;
        }
        int prev = -1;
        for (int i = 0; i <= x.Length; i++)
        {
            if (i < x.Length && !T.IsFinite(x[i])) continue;
            int gapStart = prev + 1, gapEnd = i; // [gapStart, gapEnd) are bad
            for (int j = gapStart; j < gapEnd; j++)
            {
                count++;
                if (prev < 0 && i >= x.Length) x[j] = T.Zero;
                else if (prev < 0) x[j] = x[i];
                else if (i >= x.Length) x[j] = x[prev];
                else
                {
                    T f = T.CreateTruncating((double)(j - prev) / (i - prev));
                    x[j] = x[prev] + (x[i] - x[prev]) * f;
                }
            }
            prev = i;
        }
        return count;
    }
}
