using EcgClip.Eval.Bootstrap;
using EcgClip.Eval.Protocols;

namespace EcgClip.Eval.Reporting;

/// <summary>Everything one evaluation produced, as written by <see cref="ResultsWriter"/>.</summary>
/// <param name="TaskSet">Name of the task set, e.g. "superdiagnostic" or "age".</param>
/// <param name="Protocol">Protocol name, e.g. "linear-probe".</param>
/// <param name="Models">One data-efficiency result per model, all on the same splits and seeds.</param>
/// <param name="Comparisons">Paired comparisons between models.</param>
/// <param name="Bootstrap">The bootstrap settings used (resamples, seed, level).</param>
public sealed record EvaluationReport(
    string TaskSet,
    string Protocol,
    IReadOnlyList<DataEfficiencyResult> Models,
    IReadOnlyList<RunComparison> Comparisons,
    BootstrapOptions Bootstrap)
{
    /// <summary>The sub-folder (relative, '/'-separated) holding a run's saved scores: <c>model/fraction_F/seed_S</c>.</summary>
    public static string RunFolder(string model, ProbeRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        return $"{Sanitize(model)}/fraction_{Format.Number(run.Fraction)}/seed_{run.Seed}";
    }

    private static string Sanitize(string name)
    {
        var chars = name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_').ToArray();
        return chars.Length == 0 ? "model" : new string(chars);
    }
}
