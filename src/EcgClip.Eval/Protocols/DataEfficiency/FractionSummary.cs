namespace EcgClip.Eval.Protocols;

/// <summary>All seeds of one label fraction, summarised.</summary>
/// <param name="Fraction">Label fraction.</param>
/// <param name="Runs">The runs (one per seed; one in all at fraction 1).</param>
/// <param name="MacroAveragePrecision">Macro PRAUC across seeds (classification), else null.</param>
/// <param name="MacroAreaUnderRoc">Macro AUROC across seeds (classification), else null.</param>
/// <param name="TaskAveragePrecision">Per-output PRAUC across seeds (classification), else empty.</param>
/// <param name="MeanAbsoluteError">Per-target MAE across seeds (regression, target units), else empty.</param>
public sealed record FractionSummary(
    double Fraction,
    IReadOnlyList<ProbeRun> Runs,
    SeedSummary? MacroAveragePrecision,
    SeedSummary? MacroAreaUnderRoc,
    IReadOnlyList<SeedSummary> TaskAveragePrecision,
    IReadOnlyList<SeedSummary> MeanAbsoluteError);
