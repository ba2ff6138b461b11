namespace EcgClip.Eval.Metrics;

/// <summary>
/// Threshold-free ranking metrics for one binary task, identical to scikit-learn 1.2:
/// <c>average_precision_score</c> and <c>roc_auc_score</c>.
/// </summary>
/// <remarks>
/// Scores are compared exactly as given: equal scores form one tie group (a single threshold), and single-precision
/// overloads widen to double, which is exact, so they neither merge nor split ties. Average precision (PRAUC) is the
/// step-wise sum Σ (Rₖ − Rₖ₋₁)·Pₖ, not a trapezoid; prefer it to AUROC when positives are rare, because AUROC is
/// dominated by the many easy negatives.
/// </remarks>
public static class RankingMetrics
{
    /// <summary>Average precision; 0 when there is no positive (as sklearn 1.2, which also warns).</summary>
    /// <param name="scores">One finite score per sample; higher means more likely positive.</param>
    /// <param name="labels">One label per sample.</param>
    /// <exception cref="ArgumentException">Different lengths, empty input or a non-finite score.</exception>
    public static double AveragePrecision(ReadOnlySpan<double> scores, ReadOnlySpan<bool> labels) =>
        Rank(scores, labels).AveragePrecision();

    /// <inheritdoc cref="AveragePrecision(ReadOnlySpan{double}, ReadOnlySpan{bool})"/>
    public static double AveragePrecision(ReadOnlySpan<float> scores, ReadOnlySpan<bool> labels) =>
        Rank(Widen(scores), labels).AveragePrecision();

    /// <summary>Area under the ROC curve with ties counted as one half; null when only one class is present.</summary>
    /// <param name="scores">One finite score per sample; higher means more likely positive.</param>
    /// <param name="labels">One label per sample.</param>
    /// <exception cref="ArgumentException">Different lengths, empty input or a non-finite score.</exception>
    public static double? AreaUnderRoc(ReadOnlySpan<double> scores, ReadOnlySpan<bool> labels) =>
        Rank(scores, labels).AreaUnderRoc();

    /// <inheritdoc cref="AreaUnderRoc(ReadOnlySpan{double}, ReadOnlySpan{bool})"/>
    public static double? AreaUnderRoc(ReadOnlySpan<float> scores, ReadOnlySpan<bool> labels) =>
        Rank(Widen(scores), labels).AreaUnderRoc();

    /// <summary>Point metrics for every task of <paramref name="data"/>, in column order.</summary>
    public static IReadOnlyList<TaskMetrics> Evaluate(BinaryTaskData data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var result = new TaskMetrics[data.TaskCount];
        for (int t = 0; t < data.TaskCount; t++)
            result[t] = TaskMetrics.From(data.TaskNames[t], TaskRanking.Build(data.Scores(t), data.Labels(t)));
        return result;
    }

    private static TaskRanking Rank(ReadOnlySpan<double> scores, ReadOnlySpan<bool> labels)
    {
        if (scores.Length != labels.Length)
            throw new ArgumentException($"scores ({scores.Length}) and labels ({labels.Length}) differ in length");
        if (scores.IsEmpty) throw new ArgumentException("empty input: no samples");
        for (int i = 0; i < scores.Length; i++)
            if (!double.IsFinite(scores[i])) throw new ArgumentException($"scores must be finite; found {scores[i]} at index {i}");
        return TaskRanking.Build(scores, labels);
    }

    private static double[] Widen(ReadOnlySpan<float> scores)
    {
        var d = new double[scores.Length];
        for (int i = 0; i < d.Length; i++) d[i] = scores[i];
        return d;
    }
}

/// <summary>Point ranking metrics of one task.</summary>
/// <param name="Name">Task name.</param>
/// <param name="PositiveCount">Number of positive samples.</param>
/// <param name="NegativeCount">Number of negative samples.</param>
/// <param name="AveragePrecision">Average precision (PRAUC); 0 when <see cref="HasPositives"/> is false, as sklearn.</param>
/// <param name="AreaUnderRoc">AUROC; null when only one class is present.</param>
public sealed record TaskMetrics(string Name, int PositiveCount, int NegativeCount, double AveragePrecision, double? AreaUnderRoc)
{
    /// <summary>False when the task has no positive: its average precision is sklearn's 0, not a meaningful value,
    /// and averages skip it.</summary>
    public bool HasPositives => PositiveCount > 0;

    internal static TaskMetrics From(string name, TaskRanking r) =>
        new(name, r.Positives, r.Negatives, r.AveragePrecision(), r.AreaUnderRoc());
}
