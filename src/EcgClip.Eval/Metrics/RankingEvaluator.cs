using EcgClip.Eval.Bootstrap;

namespace EcgClip.Eval.Metrics;

/// <summary>A task's point metrics with percentile bootstrap intervals.</summary>
/// <param name="Metrics">Point estimates (sklearn-exact).</param>
/// <param name="AveragePrecisionInterval">Interval for average precision; null without positives or bootstrap.</param>
/// <param name="AreaUnderRocInterval">Interval for AUROC; null for a single class or without bootstrap.</param>
/// <param name="AveragePrecisionSkippedResamples">Resamples that drew no positive of this task (left out of its interval).</param>
/// <param name="AreaUnderRocSkippedResamples">Resamples that drew a single class of this task (left out of its interval).</param>
public sealed record TaskEstimate(
    TaskMetrics Metrics,
    ConfidenceInterval? AveragePrecisionInterval,
    ConfidenceInterval? AreaUnderRocInterval,
    int AveragePrecisionSkippedResamples,
    int AreaUnderRocSkippedResamples);

/// <summary>A macro average with its bootstrap interval.</summary>
/// <param name="Metric">The point average and the tasks it skipped.</param>
/// <param name="Interval">Percentile interval of the per-resample macro averages; null without bootstrap.</param>
/// <param name="SkippedResamples">Resamples where no included task was defined.</param>
public sealed record AveragedEstimate(AveragedMetric Metric, ConfidenceInterval? Interval, int SkippedResamples);

/// <summary>Ranking metrics of all tasks with bootstrap intervals.</summary>
/// <param name="Tasks">Per-task estimates in column order.</param>
/// <param name="MacroAveragePrecision">Macro PRAUC over tasks with a positive.</param>
/// <param name="MacroAreaUnderRoc">Macro AUROC over tasks with both classes.</param>
/// <param name="Resamples">Number of bootstrap resamples drawn.</param>
/// <param name="Seed">Seed used.</param>
public sealed record RankingReport(
    IReadOnlyList<TaskEstimate> Tasks,
    AveragedEstimate MacroAveragePrecision,
    AveragedEstimate MacroAreaUnderRoc,
    int Resamples,
    ulong Seed);

/// <summary>
/// Computes sklearn-exact PRAUC and AUROC for every task with percentile bootstrap intervals. One resample is shared by
/// all tasks (so macro intervals are coherent); per task, resamples where the metric is undefined are skipped and
/// counted. The macro average of a resample averages the included tasks that are defined in that resample.
/// </summary>
public sealed class RankingEvaluator
{
    /// <summary>Evaluates <paramref name="data"/>.</summary>
    /// <exception cref="ArgumentException">Invalid <paramref name="options"/>.</exception>
    public RankingReport Evaluate(BinaryTaskData data, BootstrapOptions options)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate(data.SampleCount);
        var rankings = Rank(data, options.MaxDegreeOfParallelism);
        var points = rankings.Select((r, t) => TaskMetrics.From(data.TaskNames[t], r)).ToArray();
        var draws = BootstrapEngine.Run([rankings], options.Scheme(data.SampleCount), options.Resamples, options.Seed, options.MaxDegreeOfParallelism);
        var ap = draws.AveragePrecision[0];
        var auc = draws.AreaUnderRoc[0];

        var scratch = new double[options.Resamples];
        var tasks = new TaskEstimate[points.Length];
        for (int t = 0; t < points.Length; t++)
        {
            int apUsed = 0, aucUsed = 0;
            var apCi = points[t].HasPositives ? ConfidenceInterval.FromDraws(ap[t], options.ConfidenceLevel, scratch, out apUsed, points[t].AveragePrecision) : null;
            var aucCi = points[t].AreaUnderRoc is not null ? ConfidenceInterval.FromDraws(auc[t], options.ConfidenceLevel, scratch, out aucUsed, points[t].AreaUnderRoc) : null;
            tasks[t] = new TaskEstimate(points[t], apCi, aucCi, options.Resamples - apUsed, options.Resamples - aucUsed);
        }
        var macroAp = MetricAverages.AveragePrecision(points);
        var macroAuc = MetricAverages.AreaUnderRoc(points);
        return new RankingReport(
            tasks,
            Macro(macroAp, ap, points.Select(p => p.HasPositives).ToArray(), options),
            Macro(macroAuc, auc, points.Select(p => p.AreaUnderRoc is not null).ToArray(), options),
            options.Resamples,
            options.Seed);
    }

    internal static TaskRanking[] Rank(BinaryTaskData data, int maxThreads)
    {
        var rankings = new TaskRanking[data.TaskCount];
        if (maxThreads == 1)
        {
            for (int t = 0; t < data.TaskCount; t++) rankings[t] = TaskRanking.Build(data.Scores(t), data.Labels(t));
            return rankings;
        }
        Parallel.For(0, data.TaskCount, new ParallelOptions { MaxDegreeOfParallelism = maxThreads <= 0 ? -1 : maxThreads },
            t => rankings[t] = TaskRanking.Build(data.Scores(t), data.Labels(t)));
        return rankings;
    }

    /// <summary>Per-resample mean over the included tasks defined in that resample.</summary>
    internal static double[] MacroDraws(double[][] draws, bool[] included, int resamples)
    {
        var macro = new double[resamples];
        for (int r = 0; r < resamples; r++)
        {
            double sum = 0;
            int count = 0;
            for (int t = 0; t < draws.Length; t++)
            {
                if (!included[t]) continue;
                double v = draws[t][r];
                if (double.IsNaN(v)) continue;
                sum += v;
                count++;
            }
            macro[r] = count == 0 ? double.NaN : sum / count;
        }
        return macro;
    }

    private static AveragedEstimate Macro(AveragedMetric point, double[][] draws, bool[] included, BootstrapOptions options)
    {
        if (point.Value is null || options.Resamples == 0) return new AveragedEstimate(point, null, options.Resamples);
        var macro = MacroDraws(draws, included, options.Resamples);
        var ci = ConfidenceInterval.FromDraws(macro, options.ConfidenceLevel, new double[macro.Length], out int used, point.Value);
        return new AveragedEstimate(point, ci, options.Resamples - used);
    }
}
