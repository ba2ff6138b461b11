using EcgClip.Eval.Bootstrap;

namespace EcgClip.Eval.Protocols;

/// <summary>
/// Percentile bootstrap of the mean absolute error, drawn with the same resampling scheme (plain or patient-clustered)
/// and random streams as the ranking bootstrap: resample r of a seed selects the same rows for every model, so draws
/// of two models on one test split are paired.
/// </summary>
internal static class RegressionBootstrap
{
    /// <summary>MAE of each resample (target units) from absolute errors |y − ŷ| per row.</summary>
    public static double[] MeanAbsoluteErrorDraws(ReadOnlySpan<double> absoluteErrors, BootstrapOptions options)
    {
        int n = absoluteErrors.Length;
        var scheme = options.Scheme(n);
        var draws = new double[options.Resamples];
        var counts = new int[n];
        for (int r = 0; r < options.Resamples; r++)
        {
            Array.Clear(counts);
            int total = scheme.Fill(counts, 1, 0, options.Seed, r);
            double sum = 0;
            for (int i = 0; i < n; i++) sum += counts[i] * absoluteErrors[i];
            draws[r] = total == 0 ? double.NaN : sum / total;
        }
        return draws;
    }

    /// <summary>The percentile interval of <paramref name="draws"/> bracketing <paramref name="estimate"/>; null without draws.</summary>
    public static ConfidenceInterval? Interval(double[] draws, double estimate, BootstrapOptions options) =>
        draws.Length == 0 ? null : ConfidenceInterval.FromDraws(draws, options.ConfidenceLevel, new double[draws.Length], out _, estimate);

    /// <summary>|y − ŷ| per row.</summary>
    public static double[] AbsoluteErrors(ReadOnlySpan<double> targets, ReadOnlySpan<double> predictions)
    {
        var e = new double[targets.Length];
        for (int i = 0; i < e.Length; i++) e[i] = Math.Abs(targets[i] - predictions[i]);
        return e;
    }
}
