namespace EcgClip.Signal.Datasets;

/// <summary>
/// The reversible integer transform an <see cref="EcgPack"/> applies to each record's digital samples before
/// compression. ECG samples are smooth, so first differences along time are small; and the limb leads III, aVR, aVL
/// and aVF are linear combinations of I and II (Einthoven, Goldberger), so when a record stores them (with equal gain
/// and baseline) only their residual against the prediction from I and II is kept — mostly 0 or ±1. Both steps
/// are exact integer arithmetic, so decoding returns the stored ADC values bit for bit.
/// </summary>
internal static class EcgPackCodec
{
    /// <summary>Record flag: channels 2..5 are III, aVR, aVL, aVF stored as residuals against I (0) and II (1).</summary>
    public const int FlagLimbResiduals = 1;

    /// <summary>Whether the limb-residual transform applies: the 12 canonical leads in order, limb leads on one scale.</summary>
    public static bool CanUseLimbResiduals(IReadOnlyList<string> names, ReadOnlySpan<double> gains, ReadOnlySpan<int> baselines)
    {
        if (names.Count < 6) return false;
        string[] expected = ["I", "II", "III", "AVR", "AVL", "AVF"];
        for (int c = 0; c < 6; c++)
        {
            if (!string.Equals(names[c], expected[c], StringComparison.OrdinalIgnoreCase)) return false;
            if (gains[c] != gains[0] || baselines[c] != baselines[0]) return false;
        }
        return true;
    }

    /// <summary>Prediction of limb lead <paramref name="channel"/> (2..5) from I and II in ADC units around <paramref name="baseline"/>.</summary>
    public static long PredictLimb(int channel, long lead1, long lead2, long baseline)
    {
        long a = lead1 - baseline, b = lead2 - baseline;
        return channel switch
        {
            2 => baseline + b - a,                              // III = II − I
            3 => baseline - FloorHalf(a + b),                   // aVR = −(I + II)/2
            4 => baseline + a - FloorHalf(b),                   // aVL = I − II/2
            5 => baseline + b - FloorHalf(a),                   // aVF = II − I/2
            _ => throw new ArgumentOutOfRangeException(nameof(channel)),
        };
    }

    private static long FloorHalf(long x) => x >> 1; // arithmetic shift = floor(x / 2) for negatives too

    /// <summary>
    /// Transforms one record in place: <paramref name="samples"/> is <c>[channels, length]</c> row-major digital values.
    /// Limb residuals (when flagged) are computed first from the original I and II, then the other channels are differenced.
    /// </summary>
    public static void Encode(Span<long> samples, int channels, int length, int flags, long baseline)
    {
        if ((flags & FlagLimbResiduals) != 0)
            for (int c = 2; c <= 5; c++)
                for (int i = 0; i < length; i++)
                    samples[c * length + i] -= PredictLimb(c, samples[i], samples[length + i], baseline);
        for (int c = 0; c < channels; c++)
        {
            if ((flags & FlagLimbResiduals) != 0 && c is >= 2 and <= 5) continue;
            var row = samples.Slice(c * length, length);
            for (int i = length - 1; i > 0; i--) row[i] -= row[i - 1];
        }
    }

    /// <summary>The inverse of <see cref="Encode"/>.</summary>
    public static void Decode(Span<long> samples, int channels, int length, int flags, long baseline)
    {
        for (int c = 0; c < channels; c++)
        {
            if ((flags & FlagLimbResiduals) != 0 && c is >= 2 and <= 5) continue;
            var row = samples.Slice(c * length, length);
            for (int i = 1; i < length; i++) row[i] += row[i - 1];
        }
        if ((flags & FlagLimbResiduals) != 0)
            for (int c = 2; c <= 5; c++)
                for (int i = 0; i < length; i++)
                    samples[c * length + i] += PredictLimb(c, samples[i], samples[length + i], baseline);
    }

    /// <summary>Zig-zag map of a signed value to an unsigned one (small magnitudes → small numbers).</summary>
    public static uint ZigZag(long v) => checked((uint)((v << 1) ^ (v >> 63)));

    /// <summary>Inverse of <see cref="ZigZag"/>.</summary>
    public static long UnZigZag(uint u) => (long)(u >> 1) ^ -(long)(u & 1);
}
