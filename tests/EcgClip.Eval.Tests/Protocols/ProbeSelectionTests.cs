using EcgClip.Eval.Protocols;
using EcgClip.Signal.Datasets;

namespace EcgClip.Eval.Tests.Protocols;

public sealed class ProbeSelectionTests
{
    [Fact]
    public void BootstrapStandardError_OfAMean_MatchesTheTextbookFormula()
    {
        // The bootstrap standard error of a sample mean converges to sd·sqrt((n−1)/n)/sqrt(n) (Efron & Tibshirani 1993, §6.2).
        var rng = new Random(5);
        var x = Enumerable.Range(0, 400).Select(_ => ProbeTestData.Normal(rng) * 3 + 1).ToArray();
        double mean = x.Average();
        double sd = Math.Sqrt(x.Sum(v => (v - mean) * (v - mean)) / (x.Length - 1));
        double expected = sd * Math.Sqrt((x.Length - 1.0) / x.Length) / Math.Sqrt(x.Length);
        double se = ProbeSelectionRule.BootstrapStandardError(x.Length, 4000, 11, rows => rows.Average(r => x[r]));
        Assert.InRange(se / expected, 0.95, 1.05);
    }

    [Fact]
    public void Choose_OneStandardError_TakesTheStrongestPointWithinOneSeOfTheBest()
    {
        // strongest first; the best (0.80) has SE 0.05 by construction, so 0.76 (index 2) is the first within reach
        ValidationPoint[] curve = [new(1e-3, 0.60, 0), new(1e-2, 0.70, 0), new(1e-1, 0.76, 0), new(1, 0.79, 0), new(10, 0.80, 0)];
        var options = new LinearProbeOptions { Selection = ProbeSelection.OneStandardError, SelectionResamples = 500 };
        // a score whose bootstrap spread is exactly known: ±0.05 on alternate resamples around the best score
        int call = 0;
        int chosen = ProbeSelectionRule.Choose(curve, higherIsBetter: true, options, 50, (g, _) => curve[g].Score + (call++ % 2 == 0 ? 0.05 : -0.05), out double se, out int best);
        Assert.Equal(4, best);
        Assert.Equal(0.05, se, 2);
        Assert.Equal(2, chosen);

        int plain = ProbeSelectionRule.Choose(curve, true, options with { Selection = ProbeSelection.Best }, 50, (_, _) => throw new InvalidOperationException("not called"), out double none, out _);
        Assert.Equal(4, plain);
        Assert.True(double.IsNaN(none));
    }

    [Fact]
    public void Choose_LowerIsBetter_UsesTheUpperBound()
    {
        // MAE: strongest first, best 5.0 at index 3 with SE 0.5 → index 1 (5.4) is the strongest within 5.5
        ValidationPoint[] curve = [new(1e5, 7.0, 0), new(1e4, 5.4, 0), new(1e3, 5.1, 0), new(1e2, 5.0, 0)];
        int call = 0;
        int chosen = ProbeSelectionRule.Choose(curve, higherIsBetter: false, new LinearProbeOptions { Selection = ProbeSelection.OneStandardError }, 30,
            (g, _) => curve[g].Score + (call++ % 2 == 0 ? 0.5 : -0.5), out _, out int best);
        Assert.Equal(3, best);
        Assert.Equal(1, chosen);
    }

    [Fact]
    public void Fit_OneStandardError_RegularisesAtLeastAsStronglyAndStaysWithinOneSe()
    {
        var (x, y) = ProbeTestData.Synthetic(300, 20, 2, 7, signal: 1.0);
        var (xv, yv) = ProbeTestData.Synthetic(150, 20, 2, 8, signal: 1.0);
        var train = ProbeTestData.Labels(DatasetSplit.Train, new FeatureMatrix(x, 300, 20), y.Select(v => (double)v).ToArray(), 2);
        var val = ProbeTestData.Labels(DatasetSplit.Validation, new FeatureMatrix(xv, 150, 20), yv.Select(v => (double)v).ToArray(), 2);
        var best = new LinearProbe().Fit(train, val);
        var onese = new LinearProbe().Fit(train, val, new LinearProbeOptions { Selection = ProbeSelection.OneStandardError });

        Assert.Equal(ProbeSelection.Best, best.Selection);
        Assert.Equal(best.SelectedStrength, best.BestStrength);
        Assert.Equal(best.SelectedStrength, onese.BestStrength);
        Assert.True(onese.SelectedStrength <= best.SelectedStrength);
        Assert.InRange(onese.SelectionStandardError, 1e-4, 0.2);
        double bestScore = best.ValidationCurve.First(p => p.Strength == best.SelectedStrength).Score;
        double chosenScore = onese.ValidationCurve.First(p => p.Strength == onese.SelectedStrength).Score;
        Assert.True(chosenScore >= bestScore - onese.SelectionStandardError - 1e-12);
        // smaller C → smaller weights: the deployed head's coefficient norm does not grow
        Assert.True(Norm(onese.StandardizedCoefficients) <= Norm(best.StandardizedCoefficients) + 1e-12);
    }

    [Fact]
    public void Options_TooFewResamples_AreRefused() =>
        Assert.Throws<ArgumentException>(() => new LinearProbeOptions { SelectionResamples = 1 }.Validate());

    private static double Norm(ReadOnlySpan<double> v)
    {
        double s = 0;
        foreach (double x in v) s += x * x;
        return Math.Sqrt(s);
    }
}
