namespace EcgClip.Eval.Metrics;

/// <summary>Confusion counts at a threshold and the rates derived from them; a rate is null when its denominator is 0.</summary>
/// <param name="Threshold">Samples with score ≥ threshold are called positive (sklearn's convention).</param>
/// <param name="TruePositives">Positives called positive.</param>
/// <param name="FalsePositives">Negatives called positive.</param>
/// <param name="TrueNegatives">Negatives called negative.</param>
/// <param name="FalseNegatives">Positives called negative.</param>
public sealed record ConfusionMetrics(double Threshold, int TruePositives, int FalsePositives, int TrueNegatives, int FalseNegatives)
{
    /// <summary>Sensitivity (recall, true positive rate) TP / (TP + FN).</summary>
    public double? Sensitivity => Ratio(TruePositives, TruePositives + FalseNegatives);

    /// <summary>Specificity (true negative rate) TN / (TN + FP).</summary>
    public double? Specificity => Ratio(TrueNegatives, TrueNegatives + FalsePositives);

    /// <summary>Positive predictive value (precision) TP / (TP + FP).</summary>
    public double? PositivePredictiveValue => Ratio(TruePositives, TruePositives + FalsePositives);

    /// <summary>Negative predictive value TN / (TN + FN).</summary>
    public double? NegativePredictiveValue => Ratio(TrueNegatives, TrueNegatives + FalseNegatives);

    /// <summary>F1 = 2TP / (2TP + FP + FN), the harmonic mean of PPV and sensitivity.</summary>
    public double? F1 => Ratio(2 * TruePositives, 2 * TruePositives + FalsePositives + FalseNegatives);

    private static double? Ratio(int a, int b) => b == 0 ? null : a / (double)b;
}

/// <summary>
/// Operating points: thresholds chosen on a validation set (maximum F1, or a target sensitivity) and the confusion
/// metrics at a threshold, to be applied unchanged to the test set.
/// </summary>
public static class OperatingPoints
{
    /// <summary>Confusion metrics when samples with score ≥ <paramref name="threshold"/> are called positive.</summary>
    /// <exception cref="ArgumentException">Different lengths or a non-finite score.</exception>
    public static ConfusionMetrics At(ReadOnlySpan<double> scores, ReadOnlySpan<bool> labels, double threshold)
    {
        Check(scores, labels);
        int tp = 0, fp = 0, tn = 0, fn = 0;
        for (int i = 0; i < scores.Length; i++)
        {
            bool called = scores[i] >= threshold;
            if (labels[i]) { if (called) tp++; else fn++; }
            else if (called) fp++;
            else tn++;
        }
        return new ConfusionMetrics(threshold, tp, fp, tn, fn);
    }

    /// <summary>The distinct score that maximises F1 when used as threshold (the highest such score on ties);
    /// null when there is no positive.</summary>
    /// <exception cref="ArgumentException">Different lengths, empty input or a non-finite score.</exception>
    public static double? MaxF1Threshold(ReadOnlySpan<double> scores, ReadOnlySpan<bool> labels)
    {
        var (sorted, pos, neg, p) = Groups(scores, labels);
        if (p == 0) return null;
        double best = -1, threshold = double.NaN;
        int tp = 0, fp = 0;
        for (int g = 0; g < sorted.Length; g++)
        {
            tp += pos[g];
            fp += neg[g];
            double f1 = 2.0 * tp / (tp + fp + p);
            if (f1 > best)
            {
                best = f1;
                threshold = sorted[g];
            }
        }
        return threshold;
    }

    /// <summary>The highest distinct score whose threshold reaches sensitivity ≥ <paramref name="targetSensitivity"/>
    /// (so specificity is as high as possible); null when there is no positive.</summary>
    /// <exception cref="ArgumentException">A target outside (0, 1], different lengths, empty input or a non-finite score.</exception>
    public static double? TargetSensitivityThreshold(ReadOnlySpan<double> scores, ReadOnlySpan<bool> labels, double targetSensitivity)
    {
        if (!(targetSensitivity > 0 && targetSensitivity <= 1)) throw new ArgumentException($"target sensitivity must be in (0, 1], got {targetSensitivity}");
        var (sorted, pos, _, p) = Groups(scores, labels);
        if (p == 0) return null;
        int tp = 0;
        for (int g = 0; g < sorted.Length; g++)
        {
            tp += pos[g];
            if (tp >= targetSensitivity * p - 1e-12 * p) return sorted[g];
        }
        return sorted[^1];
    }

    /// <summary>Distinct scores in descending order with positives and negatives per score.</summary>
    private static (double[] Scores, int[] Positives, int[] Negatives, int TotalPositives) Groups(ReadOnlySpan<double> scores, ReadOnlySpan<bool> labels)
    {
        Check(scores, labels);
        if (scores.IsEmpty) throw new ArgumentException("empty input: no samples");
        var keys = scores.ToArray();
        var lab = labels.ToArray();
        Array.Sort(keys, lab);
        var s = new List<double>();
        var pos = new List<int>();
        var neg = new List<int>();
        int total = 0;
        for (int end = keys.Length; end > 0;)
        {
            int start = end - 1;
            while (start > 0 && keys[start - 1] == keys[end - 1]) start--;
            int p = 0;
            for (int i = start; i < end; i++) p += lab[i] ? 1 : 0;
            s.Add(keys[end - 1]);
            pos.Add(p);
            neg.Add(end - start - p);
            total += p;
            end = start;
        }
        return (s.ToArray(), pos.ToArray(), neg.ToArray(), total);
    }

    private static void Check(ReadOnlySpan<double> scores, ReadOnlySpan<bool> labels)
    {
        if (scores.Length != labels.Length) throw new ArgumentException($"scores ({scores.Length}) and labels ({labels.Length}) differ in length");
        for (int i = 0; i < scores.Length; i++)
            if (!double.IsFinite(scores[i])) throw new ArgumentException($"scores must be finite; found {scores[i]} at index {i}");
    }
}
