using System.Globalization;
using EcgClip.Eval.Reporting;

namespace EcgClip.Eval.Protocols;

/// <summary>The plain-sentence verdicts of report.md.</summary>
public static class ReproductionSentences
{
    /// <summary>One sentence for <paramref name="c"/>, e.g. "superdiagnostic, 10% of the labels: ECGCLIP beat random
    /// initialisation (macro PRAUC 0.612 vs 0.540, A − B +0.072 [95% CI 0.031, 0.110], seed 0; won in 3 of 3 seeds)."</summary>
    public static string Sentence(ReproductionComparison c, double confidenceLevel = 0.95)
    {
        ArgumentNullException.ThrowIfNull(c);
        string a = Capitalise(ReproductionModels.Display(c.ModelA)), b = ReproductionModels.Display(c.ModelB);
        string labels = c.FractionA == c.FractionB
            ? $"{Format.Percent(c.FractionA)} of the labels"
            : $"{Format.Percent(c.FractionA)} of the labels vs {Format.Percent(c.FractionB)}";
        string verb = c.Verdict switch
        {
            ComparisonVerdict.Won => $"{a} beat {b}",
            ComparisonVerdict.Lost => $"{a} lost to {b}",
            _ => $"{a} and {b} could not be told apart",
        };
        var first = c.Runs[0];
        bool mae = first.Metric.StartsWith("mae", StringComparison.Ordinal);
        string metric = mae ? "MAE" : "macro PRAUC";
        int digits = mae ? 2 : 3;
        var d = first.Difference;
        string level = Format.Percent(confidenceLevel);
        string diff = d.Difference is { } x ? Signed(x, digits) : "n/a";
        string ci = d.Interval is { } i ? $" [{level} CI {Signed(i.Lower, digits)}, {Signed(i.Upper, digits)}]" : " (no interval)";
        string seeds = c.Runs.Count == 1
            ? $"seed {first.Seed}"
            : $"seed {first.Seed}; won in {Count(c, ComparisonVerdict.Won)}, lost in {Count(c, ComparisonVerdict.Lost)} and " +
              $"indistinguishable in {Count(c, ComparisonVerdict.Indistinguishable)} of {c.Runs.Count} seeds";
        string direction = mae ? ", lower is better" : "";
        return $"{c.Task}, {labels}: {verb} ({metric} {Format.Fixed(d.A, digits)} vs {Format.Fixed(d.B, digits)}{direction}, " +
               $"difference {diff}{ci}, {seeds}) — **{Word(c.Verdict)}**.";
    }

    /// <summary>"won", "lost" or "could not be told apart".</summary>
    public static string Word(ComparisonVerdict verdict) => verdict switch
    {
        ComparisonVerdict.Won => "won",
        ComparisonVerdict.Lost => "lost",
        _ => "could not be told apart",
    };

    private static int Count(ReproductionComparison c, ComparisonVerdict v) => c.Runs.Count(r => r.Verdict == v);

    private static string Signed(double v, int digits) => (v >= 0 ? "+" : "") + v.ToString("F" + digits, CultureInfo.InvariantCulture);

    private static string Capitalise(string s) => s.Length == 0 ? s : char.ToUpperInvariant(s[0]) + s[1..];
}
