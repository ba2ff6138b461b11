namespace EcgClip.Eval.Metrics;

/// <summary>One bin of a reliability diagram.</summary>
/// <param name="Lower">Lower edge of the bin (probability).</param>
/// <param name="Upper">Upper edge of the bin (probability).</param>
/// <param name="Count">Samples in the bin.</param>
/// <param name="MeanPredicted">Mean predicted probability in the bin; null when empty.</param>
/// <param name="FractionPositive">Observed fraction of positives in the bin; null when empty.</param>
public sealed record ReliabilityBin(double Lower, double Upper, int Count, double? MeanPredicted, double? FractionPositive);

/// <summary>Calibration of predicted probabilities.</summary>
/// <param name="BrierScore">Mean squared error of the probabilities, as <c>sklearn.metrics.brier_score_loss</c>.</param>
/// <param name="ExpectedCalibrationError">Σ_b (n_b / n)·|fraction positive_b − mean predicted_b| over the bins.</param>
/// <param name="Bins">Every bin, in increasing probability; empty bins have null means.</param>
public sealed record CalibrationReport(double BrierScore, double ExpectedCalibrationError, IReadOnlyList<ReliabilityBin> Bins);

/// <summary>Brier score, expected calibration error and reliability bins.</summary>
/// <remarks>
/// Bins are uniform on [0, 1] and assigned exactly as <c>sklearn.calibration.calibration_curve(strategy="uniform")</c>
/// (1.2): edges <c>np.linspace(0, 1, bins + 1)</c>, bin = number of inner edges strictly below p, so a probability on
/// an inner edge belongs to the lower bin. The non-empty bins' means equal calibration_curve's <c>prob_pred</c> and
/// <c>prob_true</c>.
/// </remarks>
public static class Calibration
{
    /// <summary>Computes the calibration report.</summary>
    /// <param name="probabilities">Predicted probabilities of the positive class, each in [0, 1].</param>
    /// <param name="labels">True labels.</param>
    /// <param name="bins">Number of uniform bins (≥ 1).</param>
    /// <exception cref="ArgumentException">Different lengths, empty input, a probability outside [0, 1] or bins &lt; 1.</exception>
    public static CalibrationReport Compute(ReadOnlySpan<double> probabilities, ReadOnlySpan<bool> labels, int bins = 10)
    {
        if (probabilities.Length != labels.Length)
            throw new ArgumentException($"probabilities ({probabilities.Length}) and labels ({labels.Length}) differ in length");
        if (probabilities.IsEmpty) throw new ArgumentException("empty input: no samples");
        if (bins < 1) throw new ArgumentException($"bins must be ≥ 1, got {bins}");
        double step = 1.0 / bins;
        var edges = new double[bins + 1];
        for (int i = 0; i <= bins; i++) edges[i] = i * step;
        edges[bins] = 1.0;
        var count = new int[bins];
        var sumP = new double[bins];
        var sumY = new double[bins];
        double brier = 0;
        for (int i = 0; i < probabilities.Length; i++)
        {
            double p = probabilities[i];
            if (!(p >= 0 && p <= 1)) throw new ArgumentException($"probabilities must be in [0, 1]; found {p} at index {i}");
            double y = labels[i] ? 1 : 0;
            brier += (y - p) * (y - p);
            int b = 0;
            while (b < bins - 1 && edges[b + 1] < p) b++;
            count[b]++;
            sumP[b] += p;
            sumY[b] += y;
        }
        int n = probabilities.Length;
        double ece = 0;
        var result = new ReliabilityBin[bins];
        for (int b = 0; b < bins; b++)
        {
            double? meanP = count[b] == 0 ? null : sumP[b] / count[b];
            double? fracY = count[b] == 0 ? null : sumY[b] / count[b];
            if (count[b] > 0) ece += count[b] / (double)n * Math.Abs(fracY!.Value - meanP!.Value);
            result[b] = new ReliabilityBin(edges[b], edges[b + 1], count[b], meanP, fracY);
        }
        return new CalibrationReport(brier / n, ece, result);
    }
}
