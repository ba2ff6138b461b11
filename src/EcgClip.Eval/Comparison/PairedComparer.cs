using EcgClip.Eval.Bootstrap;
using EcgClip.Eval.Metrics;

namespace EcgClip.Eval.Comparison;

/// <summary>A paired difference A − B of one metric with its bootstrap interval and p-value.</summary>
/// <param name="A">Metric of model A (null when undefined).</param>
/// <param name="B">Metric of model B (null when undefined).</param>
/// <param name="Difference">A − B (null when undefined).</param>
/// <param name="Interval">Percentile interval of the resampled differences; null when undefined or without bootstrap.</param>
/// <param name="PValue">Two-sided bootstrap p-value for "no difference"; null when undefined or without bootstrap.</param>
/// <param name="SkippedResamples">Resamples where the metric was undefined (left out).</param>
public sealed record DifferenceEstimate(double? A, double? B, double? Difference, ConfidenceInterval? Interval, double? PValue, int SkippedResamples);

/// <summary>Paired comparison of one task.</summary>
/// <param name="Name">Task name.</param>
/// <param name="PositiveCount">Number of positives.</param>
/// <param name="AveragePrecision">PRAUC difference.</param>
/// <param name="AreaUnderRoc">AUROC difference.</param>
/// <param name="DeLong">DeLong's test of the AUROCs; null with fewer than two positives or negatives.</param>
public sealed record TaskComparison(string Name, int PositiveCount, DifferenceEstimate AveragePrecision, DifferenceEstimate AreaUnderRoc, DeLongResult? DeLong);

/// <summary>Paired comparison of two models over all tasks.</summary>
/// <param name="Tasks">Per-task comparisons, in column order.</param>
/// <param name="MacroAveragePrecision">Difference of macro PRAUC (tasks with a positive).</param>
/// <param name="MacroAreaUnderRoc">Difference of macro AUROC (tasks with both classes).</param>
/// <param name="SkippedTasks">Tasks without positives (left out of the macro differences).</param>
/// <param name="Resamples">Bootstrap resamples.</param>
/// <param name="Seed">Seed used.</param>
public sealed record PairedComparisonReport(
    IReadOnlyList<TaskComparison> Tasks,
    DifferenceEstimate MacroAveragePrecision,
    DifferenceEstimate MacroAreaUnderRoc,
    IReadOnlyList<string> SkippedTasks,
    int Resamples,
    ulong Seed);

/// <summary>
/// Compares two models scored on the same samples: per-task and macro differences of PRAUC and AUROC with paired
/// percentile bootstrap intervals (both models see the very same resamples) and two-sided p-values, plus DeLong's
/// test per task.
/// </summary>
/// <remarks>
/// The bootstrap p-value is p = min(1, 2·(min(#{d* ≤ 0}, #{d* ≥ 0}) + 1)/(B' + 1)) over the B' defined resampled
/// differences d*: twice the smaller tail at zero, with the usual +1 correction so that p is never 0. A difference
/// whose interval excludes 0 has p below 1 − level, approximately.
/// </remarks>
public sealed class PairedComparer
{
    /// <summary>Compares model <paramref name="a"/> with model <paramref name="b"/>.</summary>
    /// <exception cref="ArgumentException">Data of different shape or labels, or invalid options.</exception>
    public PairedComparisonReport Compare(BinaryTaskData a, BinaryTaskData b, BootstrapOptions options)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        ArgumentNullException.ThrowIfNull(options);
        if (a.SampleCount != b.SampleCount || a.TaskCount != b.TaskCount)
            throw new ArgumentException($"models were scored on different shapes: [{a.SampleCount}, {a.TaskCount}] vs [{b.SampleCount}, {b.TaskCount}]");
        for (int t = 0; t < a.TaskCount; t++)
            if (!a.Labels(t).SequenceEqual(b.Labels(t))) throw new ArgumentException($"models have different labels for task {t}");
        options.Validate(a.SampleCount);

        var rankA = RankingEvaluator.Rank(a, options.MaxDegreeOfParallelism);
        var rankB = RankingEvaluator.Rank(b, options.MaxDegreeOfParallelism);
        var draws = BootstrapEngine.Run([rankA, rankB], options.Scheme(a.SampleCount), options.Resamples, options.Seed, options.MaxDegreeOfParallelism);
        int tasks = a.TaskCount, resamples = options.Resamples;
        var scratch = new double[resamples];
        var diff = new double[resamples];
        var result = new TaskComparison[tasks];
        var deLong = new DeLongResult?[tasks];
        Parallel.For(0, tasks, new ParallelOptions { MaxDegreeOfParallelism = options.MaxDegreeOfParallelism <= 0 ? -1 : options.MaxDegreeOfParallelism },
            t => deLong[t] = DeLongTest.Compare(a.Scores(t), b.Scores(t), a.Labels(t)));
        var apA = new double?[tasks];
        var apB = new double?[tasks];
        var aucA = new double?[tasks];
        var aucB = new double?[tasks];
        for (int t = 0; t < tasks; t++)
        {
            bool hasPositives = rankA[t].Positives > 0;
            apA[t] = hasPositives ? rankA[t].AveragePrecision() : null;
            apB[t] = hasPositives ? rankB[t].AveragePrecision() : null;
            aucA[t] = rankA[t].AreaUnderRoc();
            aucB[t] = rankB[t].AreaUnderRoc();
            var ap = Estimate(apA[t], apB[t], draws.AveragePrecision[0][t], draws.AveragePrecision[1][t], diff, scratch, options);
            var auc = Estimate(aucA[t], aucB[t], draws.AreaUnderRoc[0][t], draws.AreaUnderRoc[1][t], diff, scratch, options);
            result[t] = new TaskComparison(a.TaskNames[t], rankA[t].Positives, ap, auc, deLong[t]);
        }
        var apIncluded = apA.Select(v => v is not null).ToArray();
        var aucIncluded = aucA.Select(v => v is not null).ToArray();
        var macroAp = Estimate(Mean(apA), Mean(apB),
            RankingEvaluator.MacroDraws(draws.AveragePrecision[0], apIncluded, resamples),
            RankingEvaluator.MacroDraws(draws.AveragePrecision[1], apIncluded, resamples), diff, scratch, options);
        var macroAuc = Estimate(Mean(aucA), Mean(aucB),
            RankingEvaluator.MacroDraws(draws.AreaUnderRoc[0], aucIncluded, resamples),
            RankingEvaluator.MacroDraws(draws.AreaUnderRoc[1], aucIncluded, resamples), diff, scratch, options);
        var skipped = Enumerable.Range(0, tasks).Where(t => !apIncluded[t]).Select(t => a.TaskNames[t]).ToArray();
        return new PairedComparisonReport(result, macroAp, macroAuc, skipped, resamples, options.Seed);
    }

    private static double? Mean(double?[] values)
    {
        var defined = values.Where(v => v is not null).Select(v => v!.Value).ToArray();
        return defined.Length == 0 ? null : defined.Average();
    }

    private static DifferenceEstimate Estimate(double? a, double? b, double[] drawsA, double[] drawsB, double[] diff, double[] scratch, BootstrapOptions options)
    {
        if (a is null || b is null) return new DifferenceEstimate(a, b, null, null, null, options.Resamples);
        int below = 0, above = 0;
        for (int r = 0; r < options.Resamples; r++)
        {
            double d = drawsA[r] - drawsB[r];
            diff[r] = d;
            if (double.IsNaN(d)) continue;
            if (d <= 0) below++;
            if (d >= 0) above++;
        }
        var ci = ConfidenceInterval.FromDraws(diff.AsSpan(0, options.Resamples), options.ConfidenceLevel, scratch, out int used);
        double? p = used < 2 ? null : Math.Min(1.0, 2.0 * (Math.Min(below, above) + 1) / (used + 1));
        return new DifferenceEstimate(a, b, a - b, ci, p, options.Resamples - used);
    }
}
