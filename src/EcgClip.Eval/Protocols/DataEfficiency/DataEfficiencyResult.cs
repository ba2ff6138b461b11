using EcgClip.Core.Abstractions;

namespace EcgClip.Eval.Protocols;

/// <summary>One model's linear-probe results over label fractions and seeds on one task set.</summary>
/// <param name="Model">Model name (e.g. "ecgclip", "merl", "random").</param>
/// <param name="Kind">Task kind.</param>
/// <param name="OutputNames">Output names in column order.</param>
/// <param name="Fractions">Per-fraction summaries, in ascending fraction order.</param>
public sealed record DataEfficiencyResult(string Model, TaskKind Kind, IReadOnlyList<string> OutputNames, IReadOnlyList<FractionSummary> Fractions)
{
    /// <summary>Every run, fraction by fraction.</summary>
    public IEnumerable<ProbeRun> Runs => Fractions.SelectMany(f => f.Runs);
}
