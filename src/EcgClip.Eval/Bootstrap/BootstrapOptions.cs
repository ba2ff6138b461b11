namespace EcgClip.Eval.Bootstrap;

/// <summary>Settings of a percentile bootstrap.</summary>
/// <param name="Resamples">Number of resamples B (0 = no confidence intervals).</param>
/// <param name="Seed">Seed of the random generator; the same seed, data and B give the same intervals on any thread count.</param>
/// <param name="MaxDegreeOfParallelism">Worker threads; 0 or less uses every processor.</param>
/// <param name="ConfidenceLevel">Two-sided level of the percentile interval, in (0, 1); 0.95 gives the 2.5th–97.5th percentiles.</param>
/// <param name="PatientIds">Optional patient id per sample: when given, patients are resampled with replacement and
/// all their samples taken (cluster bootstrap).</param>
public sealed record BootstrapOptions(
    int Resamples = 1000,
    ulong Seed = 0,
    int MaxDegreeOfParallelism = 0,
    double ConfidenceLevel = 0.95,
    IReadOnlyList<long>? PatientIds = null)
{
    /// <summary>Checks the settings against <paramref name="sampleCount"/> samples.</summary>
    /// <exception cref="ArgumentException">A negative resample count, a level outside (0, 1) or a patient id count that is not n.</exception>
    public void Validate(int sampleCount)
    {
        if (Resamples < 0) throw new ArgumentException($"resamples must be ≥ 0, got {Resamples}");
        if (!(ConfidenceLevel > 0 && ConfidenceLevel < 1)) throw new ArgumentException($"confidence level must be in (0, 1), got {ConfidenceLevel}");
        if (PatientIds is not null && PatientIds.Count != sampleCount)
            throw new ArgumentException($"{PatientIds.Count} patient ids given for {sampleCount} samples");
    }

    internal ResampleScheme Scheme(int sampleCount) =>
        PatientIds is null ? ResampleScheme.Plain(sampleCount) : ResampleScheme.Clustered(PatientIds);
}

/// <summary>A two-sided confidence interval [Lower, Upper].</summary>
/// <param name="Lower">Lower bound.</param>
/// <param name="Upper">Upper bound.</param>
public readonly record struct ConfidenceInterval(double Lower, double Upper)
{
    /// <summary>
    /// The percentile interval of the defined (non-NaN) values; null when fewer than two are defined.
    /// When <paramref name="estimate"/> is given and lies outside that interval, the nearer bound is moved to it, so a
    /// reported interval always brackets its point estimate. This only happens when the bootstrap distribution is
    /// shifted away from the estimate by more than half the interval — e.g. average precision, whose value on a resample
    /// (with duplicated samples, hence extra ties) is biased upwards, over many tasks with narrow intervals — and the
    /// move is then tiny; <see cref="Widened"/> records it.
    /// </summary>
    internal static ConfidenceInterval? FromDraws(ReadOnlySpan<double> draws, double level, Span<double> scratch, out int used, double? estimate = null)
    {
        double alpha = (1 - level) / 2 * 100;
        double lo = Percentile.Of(draws, alpha, scratch, out used);
        if (used < 2) return null;
        double hi = Percentile.Sorted(scratch[..used], 100 - alpha);
        if (estimate is double e && !double.IsNaN(e) && (e < lo || e > hi))
            return new ConfidenceInterval(Math.Min(lo, e), Math.Max(hi, e)) { Widened = true };
        return new ConfidenceInterval(lo, hi);
    }

    /// <summary>True when a bound was moved to the point estimate (see <c>FromDraws</c>); the plain percentile interval otherwise.</summary>
    public bool Widened { get; init; }
}
