using System.Numerics;
using System.Runtime.CompilerServices;

namespace EcgClip.Eval.Bootstrap;

/// <summary>
/// xoshiro256** 1.0 (Blackman &amp; Vigna 2018) seeded through SplitMix64, with Lemire's nearly divisionless
/// bounded integers: a small, fast, reproducible generator for resampling. A mutable struct: pass by ref.
/// </summary>
internal struct Xoshiro256StarStar
{
    private ulong _s0, _s1, _s2, _s3;

    /// <summary>A generator for stream <paramref name="stream"/> of <paramref name="seed"/> (e.g. one per resample),
    /// so results do not depend on how resamples are spread over threads.</summary>
    public static Xoshiro256StarStar Create(ulong seed, ulong stream)
    {
        ulong x = seed ^ (0xD1B54A32D192ED03UL * (stream + 1));
        var g = new Xoshiro256StarStar
        {
            _s0 = SplitMix64(ref x),
            _s1 = SplitMix64(ref x),
            _s2 = SplitMix64(ref x),
            _s3 = SplitMix64(ref x),
        };
        return g;
    }

    private static ulong SplitMix64(ref ulong x)
    {
        ulong z = x += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>The next 64 random bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong NextUInt64()
    {
        ulong result = BitOperations.RotateLeft(_s1 * 5, 7) * 9;
        ulong t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = BitOperations.RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>A uniform integer in [0, <paramref name="bound"/>) without modulo bias (Lemire 2019).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public uint NextBounded(uint bound)
    {
        ulong m = (NextUInt64() >> 32) * bound;
        uint low = (uint)m;
        if (low < bound)
        {
            uint threshold = (0u - bound) % bound;
            while (low < threshold)
            {
                m = (NextUInt64() >> 32) * bound;
                low = (uint)m;
            }
        }
        return (uint)(m >> 32);
    }

    /// <summary>A uniform double in [0, 1).</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));
}
