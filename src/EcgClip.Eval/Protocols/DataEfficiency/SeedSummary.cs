namespace EcgClip.Eval.Protocols;

/// <summary>Mean and sample standard deviation (n − 1; 0 for a single value) of a metric across seeds.</summary>
/// <param name="Mean">Mean over the seeds where the metric is defined; NaN when none.</param>
/// <param name="StandardDeviation">Sample standard deviation; 0 for one value, NaN for none.</param>
/// <param name="Count">Number of seeds that entered.</param>
public sealed record SeedSummary(double Mean, double StandardDeviation, int Count)
{
    /// <summary>Summarises the defined (non-null, non-NaN) values.</summary>
    public static SeedSummary Of(IEnumerable<double?> values)
    {
        var v = values.Where(x => x is double d && !double.IsNaN(d)).Select(x => x!.Value).ToArray();
        if (v.Length == 0) return new SeedSummary(double.NaN, double.NaN, 0);
        double mean = v.Average();
        double sd = v.Length == 1 ? 0 : Math.Sqrt(v.Sum(x => (x - mean) * (x - mean)) / (v.Length - 1));
        return new SeedSummary(mean, sd, v.Length);
    }
}
