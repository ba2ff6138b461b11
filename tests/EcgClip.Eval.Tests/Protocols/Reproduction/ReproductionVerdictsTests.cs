using EcgClip.Eval.Bootstrap;
using EcgClip.Eval.Comparison;
using EcgClip.Eval.Protocols;
using EcgClip.Eval.Reporting;

namespace EcgClip.Eval.Tests.Protocols.Reproduction;

public sealed class ReproductionVerdictsTests
{
    internal static RunComparison Run(string a, double fa, string b, double fb, ulong seed, double lower, double upper, bool mae = false)
    {
        var d = new DifferenceEstimate(0.6, 0.5, (lower + upper) / 2, new ConfidenceInterval(lower, upper), 0.01, 0);
        return new RunComparison(a, fa, b, fb, seed, mae ? "mae:age" : "macro_prauc", d, ModelComparer.Verdict(d, higherIsBetter: !mae), null);
    }

    [Theory]
    [InlineData(0.01, 0.05, false, ComparisonVerdict.Won)]
    [InlineData(-0.05, -0.01, false, ComparisonVerdict.Lost)]
    [InlineData(-0.01, 0.05, false, ComparisonVerdict.Indistinguishable)]
    [InlineData(-3.0, -0.5, true, ComparisonVerdict.Won)] // MAE: A − B below 0 means A's error is lower
    [InlineData(0.5, 3.0, true, ComparisonVerdict.Lost)]
    public void A_seed_is_won_or_lost_only_when_its_interval_excludes_zero(double lower, double upper, bool mae, ComparisonVerdict expected)
    {
        var run = Run("ecgclip", 0.1, "random", 0.1, 0, lower, upper, mae);
        Assert.Equal(expected, run.Verdict);
        Assert.Equal(expected, ReproductionVerdicts.Combine([run]));
    }

    [Fact]
    public void Seeds_combine_to_won_or_lost_only_when_every_seed_agrees()
    {
        var won = new[] { Run("ecgclip", 0.1, "random", 0.1, 0, 0.01, 0.05), Run("ecgclip", 0.1, "random", 0.1, 1, 0.02, 0.06) };
        Assert.Equal(ComparisonVerdict.Won, ReproductionVerdicts.Combine(won));
        var mixed = new[] { won[0], Run("ecgclip", 0.1, "random", 0.1, 2, -0.01, 0.04) };
        Assert.Equal(ComparisonVerdict.Indistinguishable, ReproductionVerdicts.Combine(mixed));
        var split = new[] { won[0], Run("ecgclip", 0.1, "random", 0.1, 2, -0.05, -0.01) };
        Assert.Equal(ComparisonVerdict.Indistinguishable, ReproductionVerdicts.Combine(split));
        Assert.Throws<ArgumentException>(() => ReproductionVerdicts.Combine([]));
    }

    [Fact]
    public void Group_keeps_same_fraction_and_cross_fraction_comparisons_apart_in_plan_order()
    {
        var runs = new[]
        {
            Run("ecgclip", 0.1, "random", 1, 0, -0.05, -0.01),
            Run("ecgclip", 0.1, "random", 0.1, 1, 0.01, 0.05),
            Run("ecgclip", 0.1, "random", 0.1, 0, 0.02, 0.05),
            Run("merl", 1, "random", 1, 0, -0.01, 0.01),
        };
        var groups = ReproductionVerdicts.Group("superdiagnostic", runs, [0.1, 1]);
        Assert.Equal(3, groups.Count);
        Assert.Equal((0.1, 0.1), (groups[0].FractionA, groups[0].FractionB));
        Assert.Equal([0UL, 1UL], groups[0].Runs.Select(r => r.Seed));
        Assert.Equal(ComparisonVerdict.Won, groups[0].Verdict);
        Assert.Equal(("merl", ComparisonVerdict.Indistinguishable), (groups[1].ModelA, groups[1].Verdict));
        Assert.Equal((0.1, 1.0, ComparisonVerdict.Lost), (groups[2].FractionA, groups[2].FractionB, groups[2].Verdict));
    }

    [Fact]
    public void The_plan_states_every_comparison_the_issue_asks_for()
    {
        var plan = ReproductionVerdicts.Plan([1, 0.1]);
        Assert.Contains(("ecgclip", 0.1, "random", 0.1), plan);
        Assert.Contains(("ecgclip", 1.0, "random", 1.0), plan);
        Assert.Contains(("ecgclip", 0.1, "merl", 0.1), plan);
        Assert.Contains(("ecgclip", 1.0, "merl", 1.0), plan);
        Assert.Contains(("ecgclip", 0.1, "random", 1.0), plan);
        Assert.DoesNotContain(("ecgclip", 1.0, "random", 0.1), plan);
    }
}
