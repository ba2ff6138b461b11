using EcgClip.Eval.Bootstrap;
using EcgClip.Eval.Metrics;

namespace EcgClip.Eval.Protocols;

/// <summary>A regression target's test metrics next to the predict-the-training-mean baseline on the same rows.</summary>
/// <param name="Name">Target name.</param>
/// <param name="Metrics">The probe's MAE, RMSE, R², Pearson, Spearman (target units where they have any).</param>
/// <param name="MeanAbsoluteErrorInterval">Bootstrap interval of the probe's MAE; null without bootstrap.</param>
/// <param name="TrainingMean">The baseline's constant prediction: the mean target of the training rows used.</param>
/// <param name="Baseline">The baseline's metrics (its correlations are undefined, hence null).</param>
/// <param name="BaselineMeanAbsoluteErrorInterval">Bootstrap interval of the baseline's MAE (same resamples); null without bootstrap.</param>
public sealed record RegressionTargetEstimate(
    string Name,
    RegressionMetrics Metrics,
    ConfidenceInterval? MeanAbsoluteErrorInterval,
    double TrainingMean,
    RegressionMetrics Baseline,
    ConfidenceInterval? BaselineMeanAbsoluteErrorInterval);

/// <summary>Regression metrics of all targets of one probe run.</summary>
/// <param name="Targets">Per-target estimates in column order.</param>
/// <param name="Resamples">Bootstrap resamples.</param>
/// <param name="Seed">Bootstrap seed.</param>
public sealed record RegressionReport(IReadOnlyList<RegressionTargetEstimate> Targets, int Resamples, ulong Seed)
{
    /// <summary>Evaluates <paramref name="scores"/> against a constant <paramref name="trainingMeans"/> baseline.</summary>
    internal static RegressionReport Evaluate(ProbeScores scores, IReadOnlyList<double> trainingMeans, BootstrapOptions options)
    {
        var targets = new RegressionTargetEstimate[scores.Outputs];
        for (int t = 0; t < scores.Outputs; t++)
        {
            var y = ProbeScores.Column(scores.Targets, scores.Rows, scores.Outputs, t);
            var yHat = ProbeScores.Column(scores.Scores, scores.Rows, scores.Outputs, t);
            var baseline = Enumerable.Repeat(trainingMeans[t], y.Length).ToArray();
            var m = RegressionMetrics.Compute(y, yHat);
            var b = RegressionMetrics.Compute(y, baseline);
            var ci = RegressionBootstrap.Interval(RegressionBootstrap.MeanAbsoluteErrorDraws(RegressionBootstrap.AbsoluteErrors(y, yHat), options), m.MeanAbsoluteError, options);
            var bci = RegressionBootstrap.Interval(RegressionBootstrap.MeanAbsoluteErrorDraws(RegressionBootstrap.AbsoluteErrors(y, baseline), options), b.MeanAbsoluteError, options);
            targets[t] = new RegressionTargetEstimate(scores.Names[t], m, ci, trainingMeans[t], b, bci);
        }
        return new RegressionReport(targets, options.Resamples, options.Seed);
    }
}
