using EcgClip.Eval.Bootstrap;
using EcgClip.Eval.Comparison;
using EcgClip.Eval.Protocols;

namespace EcgClip.Eval.Reporting;

/// <summary>
/// Paired comparisons of probe runs scored on the same test split, through <see cref="PairedComparer"/> (ranking
/// metrics) or a paired MAE bootstrap (regression) drawn from the same resamples for both models.
/// </summary>
public sealed class ModelComparer
{
    private readonly PairedComparer _paired = new();

    /// <summary>Compares every run of <paramref name="a"/> with the run of <paramref name="b"/> at the same fraction and seed.</summary>
    /// <exception cref="ArgumentException">Results of different kinds or outputs, or runs on different test rows.</exception>
    public IReadOnlyList<RunComparison> CompareMatching(DataEfficiencyResult a, DataEfficiencyResult b, BootstrapOptions options)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        var list = new List<RunComparison>();
        foreach (var ra in a.Runs)
        {
            var rb = b.Runs.FirstOrDefault(r => r.Fraction == ra.Fraction && r.Seed == ra.Seed);
            if (rb is not null) list.Add(Compare(a.Model, ra, b.Model, rb, options));
        }
        return list;
    }

    /// <summary>Compares run <paramref name="a"/> of <paramref name="modelA"/> with run <paramref name="b"/> of <paramref name="modelB"/>
    /// (e.g. one model at 10% of the labels with another at 100%).</summary>
    /// <exception cref="ArgumentException">Runs of different kinds, outputs or test rows.</exception>
    public RunComparison Compare(string modelA, ProbeRun a, string modelB, ProbeRun b, BootstrapOptions options)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        ArgumentNullException.ThrowIfNull(options);
        if (a.Test.Kind != b.Test.Kind || !a.Test.Names.SequenceEqual(b.Test.Names) || !a.Test.Targets.AsSpan().SequenceEqual(b.Test.Targets))
            throw new ArgumentException($"{modelA} and {modelB} were not scored on the same test rows and outputs");
        var bootstrap = options with { PatientIds = a.Test.PatientIds };
        if (a.Test.IsClassification)
        {
            var report = _paired.Compare(a.Test.ToBinaryTaskData(), b.Test.ToBinaryTaskData(), bootstrap);
            var d = report.MacroAveragePrecision;
            return new RunComparison(modelA, a.Fraction, modelB, b.Fraction, a.Seed, "macro_prauc", d, Verdict(d, higherIsBetter: true), report);
        }
        var mae = MaeDifference(a.Test, b.Test, bootstrap);
        return new RunComparison(modelA, a.Fraction, modelB, b.Fraction, a.Seed, "mae:" + a.Test.Names[0], mae, Verdict(mae, higherIsBetter: false), null);
    }

    /// <summary>Won when the interval excludes 0 on the better side, Lost on the other, else Indistinguishable.</summary>
    public static ComparisonVerdict Verdict(DifferenceEstimate difference, bool higherIsBetter)
    {
        ArgumentNullException.ThrowIfNull(difference);
        if (difference.Interval is not ConfidenceInterval ci) return ComparisonVerdict.Indistinguishable;
        if (ci.Lower > 0) return higherIsBetter ? ComparisonVerdict.Won : ComparisonVerdict.Lost;
        if (ci.Upper < 0) return higherIsBetter ? ComparisonVerdict.Lost : ComparisonVerdict.Won;
        return ComparisonVerdict.Indistinguishable;
    }

    private static DifferenceEstimate MaeDifference(ProbeScores a, ProbeScores b, BootstrapOptions options)
    {
        var y = ProbeScores.Column(a.Targets, a.Rows, a.Outputs, 0);
        var ea = RegressionBootstrap.AbsoluteErrors(y, ProbeScores.Column(a.Scores, a.Rows, a.Outputs, 0));
        var eb = RegressionBootstrap.AbsoluteErrors(y, ProbeScores.Column(b.Scores, b.Rows, b.Outputs, 0));
        double maeA = ea.Average(), maeB = eb.Average();
        var da = RegressionBootstrap.MeanAbsoluteErrorDraws(ea, options);
        var db = RegressionBootstrap.MeanAbsoluteErrorDraws(eb, options);
        var diff = new double[da.Length];
        int below = 0, above = 0, used = 0;
        for (int r = 0; r < diff.Length; r++)
        {
            diff[r] = da[r] - db[r];
            if (double.IsNaN(diff[r])) continue;
            used++;
            if (diff[r] <= 0) below++;
            if (diff[r] >= 0) above++;
        }
        var ci = diff.Length == 0 ? null : ConfidenceInterval.FromDraws(diff, options.ConfidenceLevel, new double[diff.Length], out _);
        double? p = used < 2 ? null : Math.Min(1.0, 2.0 * (Math.Min(below, above) + 1) / (used + 1));
        return new DifferenceEstimate(maeA, maeB, maeA - maeB, ci, p, options.Resamples - used);
    }
}
