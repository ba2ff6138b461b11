namespace EcgClip.Eval.Metrics;

/// <summary>Agreement of continuous predictions with targets (e.g. echocardiographic ejection fraction in %).</summary>
/// <param name="MeanAbsoluteError">Mean |y − ŷ|, in target units (<c>sklearn.metrics.mean_absolute_error</c>).</param>
/// <param name="RootMeanSquaredError">√(mean (y − ŷ)²), in target units.</param>
/// <param name="RSquared">Coefficient of determination 1 − SS_res/SS_tot (<c>sklearn.metrics.r2_score</c>; with constant
/// targets 1 for a perfect fit, else 0, as sklearn).</param>
/// <param name="Pearson">Pearson correlation (<c>scipy.stats.pearsonr</c>); null when either input is constant.</param>
/// <param name="Spearman">Spearman rank correlation, Pearson on midranks (<c>scipy.stats.spearmanr</c>); null when either input is constant.</param>
public sealed record RegressionMetrics(double MeanAbsoluteError, double RootMeanSquaredError, double RSquared, double? Pearson, double? Spearman)
{
    /// <summary>Computes all regression metrics.</summary>
    /// <exception cref="ArgumentException">Different lengths, fewer than two samples or a non-finite value.</exception>
    public static RegressionMetrics Compute(ReadOnlySpan<double> targets, ReadOnlySpan<double> predictions)
    {
        if (targets.Length != predictions.Length)
            throw new ArgumentException($"targets ({targets.Length}) and predictions ({predictions.Length}) differ in length");
        if (targets.Length < 2) throw new ArgumentException("need at least two samples");
        for (int i = 0; i < targets.Length; i++)
            if (!double.IsFinite(targets[i]) || !double.IsFinite(predictions[i]))
                throw new ArgumentException($"values must be finite; found target {targets[i]}, prediction {predictions[i]} at index {i}");
        int n = targets.Length;
        double abs = 0, sq = 0, mean = 0;
        for (int i = 0; i < n; i++)
        {
            double e = targets[i] - predictions[i];
            abs += Math.Abs(e);
            sq += e * e;
            mean += targets[i];
        }
        mean /= n;
        double ssTot = 0;
        for (int i = 0; i < n; i++) ssTot += (targets[i] - mean) * (targets[i] - mean);
        double r2 = ssTot == 0 ? (sq == 0 ? 1.0 : 0.0) : 1 - sq / ssTot;
        double? spearman = Correlation(MidRanks(targets), MidRanks(predictions));
        return new RegressionMetrics(abs / n, Math.Sqrt(sq / n), r2, Correlation(targets, predictions), spearman);
    }

    private static double? Correlation(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        double mx = 0, my = 0;
        for (int i = 0; i < x.Length; i++)
        {
            mx += x[i];
            my += y[i];
        }
        mx /= x.Length;
        my /= y.Length;
        double sxy = 0, sxx = 0, syy = 0;
        for (int i = 0; i < x.Length; i++)
        {
            double dx = x[i] - mx, dy = y[i] - my;
            sxy += dx * dy;
            sxx += dx * dx;
            syy += dy * dy;
        }
        if (sxx == 0 || syy == 0) return null;
        return Math.Clamp(sxy / (Math.Sqrt(sxx) * Math.Sqrt(syy)), -1.0, 1.0);
    }

    private static double[] MidRanks(ReadOnlySpan<double> values) => Comparison.DeLongTest.MidRanks(values.ToArray());
}
