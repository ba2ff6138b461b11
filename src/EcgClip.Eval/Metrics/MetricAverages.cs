namespace EcgClip.Eval.Metrics;

/// <summary>How per-task values are combined into one number.</summary>
public enum AverageKind
{
    /// <summary>Unweighted mean over the tasks where the metric is defined.</summary>
    Macro,
    /// <summary>Support-weighted mean (weights = positive counts), as sklearn's <c>average="weighted"</c>.</summary>
    Weighted,
    /// <summary>Prevalence-weighted mean (weights = positives / samples). All tasks share the same samples, so this
    /// equals <see cref="Weighted"/>; it is offered under its clinical name.</summary>
    PrevalenceWeighted,
}

/// <summary>An averaged metric together with the tasks it left out.</summary>
/// <param name="Value">The average; null when no task qualifies.</param>
/// <param name="IncludedTasks">Number of tasks that entered the average.</param>
/// <param name="SkippedTasks">Names of tasks left out (no positive for PRAUC; a single class for AUROC).</param>
public sealed record AveragedMetric(double? Value, int IncludedTasks, IReadOnlyList<string> SkippedTasks);

/// <summary>Macro, weighted and micro averages of per-task ranking metrics.</summary>
/// <remarks>
/// Unlike sklearn's macro average precision, which averages a meaningless 0 for tasks without positives, these
/// averages skip such tasks and report them. Micro averages pool all (sample, task) pairs, as sklearn's
/// <c>average="micro"</c>.
/// </remarks>
public static class MetricAverages
{
    /// <summary>Average of the per-task average precision over tasks with at least one positive.</summary>
    public static AveragedMetric AveragePrecision(IReadOnlyList<TaskMetrics> tasks, AverageKind kind = AverageKind.Macro) =>
        Average(tasks, t => t.HasPositives ? t.AveragePrecision : null, kind);

    /// <summary>Average of the per-task AUROC over tasks with both classes.</summary>
    public static AveragedMetric AreaUnderRoc(IReadOnlyList<TaskMetrics> tasks, AverageKind kind = AverageKind.Macro) =>
        Average(tasks, t => t.AreaUnderRoc, kind);

    /// <summary>Micro-averaged average precision: all (sample, task) pairs pooled into one ranking.</summary>
    public static double MicroAveragePrecision(BinaryTaskData data)
    {
        var (s, l) = Pool(data);
        return TaskRanking.Build(s, l).AveragePrecision();
    }

    /// <summary>Micro-averaged AUROC: all (sample, task) pairs pooled into one ranking; null for a single class.</summary>
    public static double? MicroAreaUnderRoc(BinaryTaskData data)
    {
        var (s, l) = Pool(data);
        return TaskRanking.Build(s, l).AreaUnderRoc();
    }

    private static (double[] Scores, bool[] Labels) Pool(BinaryTaskData data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var s = new double[(long)data.SampleCount * data.TaskCount];
        var l = new bool[s.Length];
        for (int t = 0; t < data.TaskCount; t++)
        {
            data.Scores(t).CopyTo(s.AsSpan(t * data.SampleCount));
            data.Labels(t).CopyTo(l.AsSpan(t * data.SampleCount));
        }
        return (s, l);
    }

    private static AveragedMetric Average(IReadOnlyList<TaskMetrics> tasks, Func<TaskMetrics, double?> value, AverageKind kind)
    {
        ArgumentNullException.ThrowIfNull(tasks);
        double sum = 0, weights = 0;
        int included = 0;
        var skipped = new List<string>();
        foreach (var t in tasks)
        {
            if (value(t) is not double v)
            {
                skipped.Add(t.Name);
                continue;
            }
            double w = kind switch
            {
                AverageKind.Macro => 1.0,
                AverageKind.Weighted => t.PositiveCount,
                _ => t.PositiveCount / (double)(t.PositiveCount + t.NegativeCount),
            };
            sum += w * v;
            weights += w;
            included++;
        }
        return new AveragedMetric(included == 0 || weights == 0 ? null : sum / weights, included, skipped);
    }
}
