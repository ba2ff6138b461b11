using EcgClip.Eval.Metrics;

namespace EcgClip.Eval.Protocols;

/// <summary>One probe fit at one label fraction and seed, scored once on the test split.</summary>
/// <param name="Fraction">Fraction of the training rows used, in (0, 1].</param>
/// <param name="Seed">Subsampling seed (at fraction 1 the subsample is the whole split and the seed is nominal).</param>
/// <param name="TrainingRows">Rows of the training subsample.</param>
/// <param name="SelectedStrength">The L2 grid value chosen on validation (C or α).</param>
/// <param name="StrengthName">"C" or "alpha".</param>
/// <param name="ValidationCurve">The validation criterion per grid value.</param>
/// <param name="ConstantOutputs">Outputs with a single class in the training subsample (predicted constant).</param>
/// <param name="Test">Test truth and predictions, as saved to <c>test_labels.npy</c> / <c>test_scores.npy</c>.</param>
/// <param name="Ranking">PRAUC/AUROC with bootstrap intervals (classification); null for regression.</param>
/// <param name="Regression">MAE with interval, RMSE, R², Pearson and the training-mean baseline (regression); null otherwise.</param>
public sealed record ProbeRun(
    double Fraction,
    ulong Seed,
    int TrainingRows,
    double SelectedStrength,
    string StrengthName,
    IReadOnlyList<ValidationPoint> ValidationCurve,
    IReadOnlyList<string> ConstantOutputs,
    ProbeScores Test,
    RankingReport? Ranking,
    RegressionReport? Regression);
