using EcgClip.Eval.Metrics;

namespace EcgClip.Eval.Protocols;

/// <summary>One probe fit at one label fraction and seed, scored once on the test split.</summary>
/// <param name="Fraction">Fraction of the training rows used, in (0, 1].</param>
/// <param name="Seed">Subsampling seed (at fraction 1 the subsample is the whole split and the seed is nominal).</param>
/// <param name="TrainingRows">Rows of the training subsample.</param>
/// <param name="SelectedStrength">The L2 grid value chosen on validation (C or α).</param>
/// <param name="StrengthName">"C" or "alpha".</param>
/// <param name="ValidationCurve">The validation criterion per grid value.</param>
/// <param name="ConstantOutputs">Outputs with a single class in the training subsample (predicted constant).</param>
/// <param name="Test">Test truth and predictions, as saved to <c>test_labels.npy</c> / <c>test_scores.npy</c>.</param>
/// <param name="Ranking">PRAUC/AUROC with bootstrap intervals (classification); null for regression.</param>
/// <param name="Regression">MAE with interval, RMSE, R², Pearson and the training-mean baseline (regression); null otherwise.</param>
public sealed record ProbeRun(
    double Fraction,
    ulong Seed,
    int TrainingRows,
    double SelectedStrength,
    string StrengthName,
    IReadOnlyList<ValidationPoint> ValidationCurve,
    IReadOnlyList<string> ConstantOutputs,
    ProbeScores Test,
    RankingReport? Ranking,
    RegressionReport? Regression);

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

/// <summary>All seeds of one label fraction, summarised.</summary>
/// <param name="Fraction">Label fraction.</param>
/// <param name="Runs">The runs (one per seed; one in all at fraction 1).</param>
/// <param name="MacroAveragePrecision">Macro PRAUC across seeds (classification), else null.</param>
/// <param name="MacroAreaUnderRoc">Macro AUROC across seeds (classification), else null.</param>
/// <param name="TaskAveragePrecision">Per-output PRAUC across seeds (classification), else empty.</param>
/// <param name="MeanAbsoluteError">Per-target MAE across seeds (regression, target units), else empty.</param>
public sealed record FractionSummary(
    double Fraction,
    IReadOnlyList<ProbeRun> Runs,
    SeedSummary? MacroAveragePrecision,
    SeedSummary? MacroAreaUnderRoc,
    IReadOnlyList<SeedSummary> TaskAveragePrecision,
    IReadOnlyList<SeedSummary> MeanAbsoluteError);
