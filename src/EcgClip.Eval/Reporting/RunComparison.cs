using EcgClip.Eval.Comparison;

namespace EcgClip.Eval.Reporting;

/// <summary>Whether model A beat model B on a paired comparison.</summary>
public enum ComparisonVerdict
{
    /// <summary>The 95% (or configured) interval of the difference excludes 0 in A's favour.</summary>
    Won,
    /// <summary>The interval excludes 0 in B's favour.</summary>
    Lost,
    /// <summary>The interval contains 0 (or the difference is undefined): the models cannot be told apart.</summary>
    Indistinguishable,
}

/// <summary>
/// A paired comparison of two probe runs on the same test rows: macro PRAUC difference A − B (classification; higher
/// is better) or MAE difference A − B of the first target (regression, target units; lower is better), with the
/// paired bootstrap interval and the verdict it implies.
/// </summary>
/// <param name="ModelA">Name of model A.</param>
/// <param name="FractionA">Label fraction of A's run.</param>
/// <param name="ModelB">Name of model B.</param>
/// <param name="FractionB">Label fraction of B's run.</param>
/// <param name="Seed">Subsampling seed of the runs (A's when they differ).</param>
/// <param name="Metric">"macro_prauc" or "mae:&lt;target&gt;".</param>
/// <param name="Difference">A − B with interval and p-value.</param>
/// <param name="Verdict">A's verdict.</param>
/// <param name="Details">The full per-task comparison (classification); null for regression.</param>
public sealed record RunComparison(
    string ModelA,
    double FractionA,
    string ModelB,
    double FractionB,
    ulong Seed,
    string Metric,
    DifferenceEstimate Difference,
    ComparisonVerdict Verdict,
    PairedComparisonReport? Details);
