namespace EcgClip.Eval.Protocols;

/// <summary>Applies a <see cref="ProbeSelection"/> rule to a validation curve searched from strong to weak regularisation.</summary>
internal static class ProbeSelectionRule
{
    /// <summary>
    /// Index of the chosen grid point. <paramref name="scoreOnRows"/> scores the best point's fit on a bootstrap resample of
    /// the validation rows (row indices with repetition); it is called only by <see cref="ProbeSelection.OneStandardError"/>.
    /// </summary>
    /// <param name="curve">Validation scores in search order, strongest regularisation first.</param>
    /// <param name="higherIsBetter">True for PRAUC and R², false for MAE.</param>
    /// <param name="options">The rule, the resample count and the seed.</param>
    /// <param name="validationRows">Rows of the validation split.</param>
    /// <param name="scoreOnRows">Score of fit <c>g</c> on the given rows.</param>
    /// <param name="standardError">The bootstrap standard error at the best point (NaN for <see cref="ProbeSelection.Best"/>).</param>
    /// <param name="best">Index of the best point (what <see cref="ProbeSelection.Best"/> returns).</param>
    public static int Choose(IReadOnlyList<ValidationPoint> curve, bool higherIsBetter, LinearProbeOptions options, int validationRows,
        Func<int, int[], double> scoreOnRows, out double standardError, out int best)
    {
        standardError = double.NaN;
        best = Best(curve, higherIsBetter);
        if (options.Selection == ProbeSelection.Best || double.IsNaN(curve[best].Score) || validationRows < 2) return best;
        int top = best;
        standardError = BootstrapStandardError(validationRows, options.SelectionResamples, options.SelectionSeed, rows => scoreOnRows(top, rows));
        if (!double.IsFinite(standardError)) return best;
        double bound = higherIsBetter ? curve[best].Score - standardError : curve[best].Score + standardError;
        for (int g = 0; g < best; g++) // strongest first: the first within one standard error wins
        {
            double s = curve[g].Score;
            if (!double.IsNaN(s) && (higherIsBetter ? s >= bound : s <= bound)) return g;
        }
        return best;
    }

    /// <summary>Index of the best defined score; on a tie the earliest (the stronger regularisation by construction);
    /// 0 (the strongest) when no score is defined, e.g. a validation split without any positive.</summary>
    public static int Best(IReadOnlyList<ValidationPoint> curve, bool higherIsBetter)
    {
        int best = -1;
        for (int g = 0; g < curve.Count; g++)
        {
            double s = curve[g].Score;
            if (double.IsNaN(s)) continue;
            if (best < 0 || (higherIsBetter ? s > curve[best].Score : s < curve[best].Score)) best = g;
        }
        return best < 0 ? 0 : best;
    }

    /// <summary>Sample standard deviation (n − 1) of the score over seeded bootstrap resamples; resamples scoring NaN are left out.</summary>
    internal static double BootstrapStandardError(int rows, int resamples, int seed, Func<int[], double> score)
    {
        var random = new Random(seed);
        var sample = new int[rows];
        double sum = 0, sumSquares = 0;
        int n = 0;
        for (int b = 0; b < resamples; b++)
        {
            for (int i = 0; i < rows; i++) sample[i] = random.Next(rows);
            double s = score(sample);
            if (double.IsNaN(s)) continue;
            n++;
            sum += s;
            sumSquares += s * s;
        }
        if (n < 2) return double.NaN;
        double mean = sum / n;
        return Math.Sqrt(Math.Max(0, (sumSquares - n * mean * mean) / (n - 1)));
    }
}
