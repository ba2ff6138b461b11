using EcgClip.Eval.Reporting;

namespace EcgClip.Eval.Protocols;

/// <summary>
/// Groups paired per-seed comparisons into the reproduction's stated comparisons and decides each verdict: won when
/// every seed's interval of A − B excludes 0 in A's favour, lost when every one excludes it in B's favour, otherwise
/// the two cannot be told apart.
/// </summary>
public static class ReproductionVerdicts
{
    /// <summary>The comparisons the report states, in order, as (model A, fraction A, model B, fraction B); fraction
    /// <c>small</c> is the smallest label fraction, 1 the full training split.</summary>
    public static IReadOnlyList<(string A, double FractionA, string B, double FractionB)> Plan(IReadOnlyList<double> fractions)
    {
        ArgumentNullException.ThrowIfNull(fractions);
        var list = new List<(string, double, string, double)>();
        var ordered = fractions.OrderBy(f => f).ToArray();
        foreach (var f in ordered)
        {
            list.Add((ReproductionModels.EcgClip, f, ReproductionModels.Random, f));
            list.Add((ReproductionModels.EcgClip, f, ReproductionModels.Merl, f));
            list.Add((ReproductionModels.Merl, f, ReproductionModels.Random, f));
        }
        double full = ordered[^1];
        foreach (var f in ordered.Where(f => f < full))
            list.Add((ReproductionModels.EcgClip, f, ReproductionModels.Random, full));
        return list;
    }

    /// <summary>Combines the seeds of one comparison.</summary>
    /// <exception cref="ArgumentException">No run.</exception>
    public static ComparisonVerdict Combine(IReadOnlyList<RunComparison> runs)
    {
        ArgumentNullException.ThrowIfNull(runs);
        if (runs.Count == 0) throw new ArgumentException("a comparison needs at least one run");
        if (runs.All(r => r.Verdict == ComparisonVerdict.Won)) return ComparisonVerdict.Won;
        if (runs.All(r => r.Verdict == ComparisonVerdict.Lost)) return ComparisonVerdict.Lost;
        return ComparisonVerdict.Indistinguishable;
    }

    /// <summary>Picks from <paramref name="runs"/> (all comparisons of one task set) those of each planned comparison.</summary>
    public static IReadOnlyList<ReproductionComparison> Group(string task, IReadOnlyList<RunComparison> runs, IReadOnlyList<double> fractions)
    {
        ArgumentNullException.ThrowIfNull(runs);
        var list = new List<ReproductionComparison>();
        foreach (var (a, fa, b, fb) in Plan(fractions))
        {
            var matching = runs.Where(r => r.ModelA == a && r.ModelB == b && r.FractionA == fa && r.FractionB == fb).OrderBy(r => r.Seed).ToArray();
            if (matching.Length > 0) list.Add(new ReproductionComparison(task, a, fa, b, fb, matching, Combine(matching)));
        }
        return list;
    }
}
