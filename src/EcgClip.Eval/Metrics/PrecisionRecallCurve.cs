namespace EcgClip.Eval.Metrics;

/// <summary>
/// The precision–recall curve of one binary task, identical to scikit-learn 1.2's <c>precision_recall_curve</c>:
/// one point per distinct score (threshold "score ≥ s"), listed from the lowest score (recall 1) to the highest,
/// followed by the end point (recall 0, precision 1).
/// </summary>
/// <param name="Recall">Recall per point, non-increasing, ending at 0.</param>
/// <param name="Precision">Precision per point, ending at 1.</param>
public sealed record PrecisionRecallCurve(IReadOnlyList<double> Recall, IReadOnlyList<double> Precision)
{
    /// <summary>The curve of <paramref name="scores"/> against <paramref name="labels"/>; null when there is no positive.</summary>
    /// <exception cref="ArgumentException">Different lengths, empty input or a non-finite score.</exception>
    public static PrecisionRecallCurve? Compute(ReadOnlySpan<double> scores, ReadOnlySpan<bool> labels)
    {
        if (scores.Length != labels.Length) throw new ArgumentException($"scores ({scores.Length}) and labels ({labels.Length}) differ in length");
        if (scores.IsEmpty) throw new ArgumentException("empty input: no samples");
        for (int i = 0; i < scores.Length; i++)
            if (!double.IsFinite(scores[i])) throw new ArgumentException($"scores must be finite; found {scores[i]} at index {i}");
        return From(TaskRanking.Build(scores, labels));
    }

    internal static PrecisionRecallCurve? From(TaskRanking ranking)
    {
        if (ranking.Positives == 0) return null;
        var recall = new List<double>();
        var precision = new List<double>();
        long tp = 0, fp = 0;
        for (int g = 0; g < ranking.GroupPositives.Length; g++)
        {
            tp += ranking.GroupPositives[g];
            fp += ranking.GroupNegatives[g];
            recall.Add(tp / (double)ranking.Positives);
            precision.Add(tp / (double)(tp + fp));
        }
        recall.Reverse();
        precision.Reverse();
        recall.Add(0);
        precision.Add(1);
        return new PrecisionRecallCurve(recall, precision);
    }
}
