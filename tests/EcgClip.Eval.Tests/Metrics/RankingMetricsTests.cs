using EcgClip.Eval.Metrics;
using EcgClip.Eval.Tests.Fixtures;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Xunit.Abstractions;

namespace EcgClip.Eval.Tests.Metrics;

public sealed class RankingMetricsTests(ITestOutputHelper output)
{
    private const double Tolerance = 1e-9;

    [Fact]
    public void AveragePrecision_SklearnCases_MatchWithin1e9()
    {
        double worst = 0;
        foreach (var c in Oracle.Cases("ranking"))
        {
            var labels = c.Bools("labels");
            var scores = c.Doubles("scores");
            double ap = c.GetProperty("dtype").GetString() == "float32"
                ? RankingMetrics.AveragePrecision(scores.Select(x => (float)x).ToArray(), labels)
                : RankingMetrics.AveragePrecision(scores, labels);
            double expected = c.GetProperty("average_precision").GetDouble();
            worst = Math.Max(worst, Math.Abs(ap - expected));
            Assert.True(Math.Abs(ap - expected) <= Tolerance, $"{c.GetProperty("name")}: {ap} vs sklearn {expected}");
        }
        output.WriteLine($"max |AP - sklearn| = {worst:E3}");
    }

    [Fact]
    public void AreaUnderRoc_SklearnCases_MatchWithin1e9()
    {
        double worst = 0;
        foreach (var c in Oracle.Cases("ranking"))
        {
            var labels = c.Bools("labels");
            var scores = c.Doubles("scores");
            double? auc = c.GetProperty("dtype").GetString() == "float32"
                ? RankingMetrics.AreaUnderRoc(scores.Select(x => (float)x).ToArray(), labels)
                : RankingMetrics.AreaUnderRoc(scores, labels);
            double? expected = c.NullableDouble("area_under_roc");
            if (expected is null)
            {
                Assert.Null(auc);
                continue;
            }
            Assert.NotNull(auc);
            worst = Math.Max(worst, Math.Abs(auc.Value - expected.Value));
            Assert.True(Math.Abs(auc.Value - expected.Value) <= Tolerance, $"{c.GetProperty("name")}: {auc} vs sklearn {expected}");
        }
        output.WriteLine($"max |AUROC - sklearn| = {worst:E3}");
    }

    [Fact]
    public void AveragePrecision_NoPositives_ReturnsZeroAsSklearn()
    {
        Assert.Equal(0.0, RankingMetrics.AveragePrecision(new[] { 0.1, 0.5, 0.3 }, new[] { false, false, false }));
        var t = RankingMetrics.Evaluate(BinaryTaskData.FromSingleTask(new[] { false, false }, new[] { 0.2, 0.1 }))[0];
        Assert.False(t.HasPositives);
        Assert.Null(t.AreaUnderRoc);
    }

    [Fact]
    public void AreaUnderRoc_SingleClass_ReturnsNull()
    {
        Assert.Null(RankingMetrics.AreaUnderRoc(new[] { 0.1, 0.5 }, new[] { true, true }));
        Assert.Null(RankingMetrics.AreaUnderRoc(new[] { 0.1, 0.5 }, new[] { false, false }));
    }

    [Fact]
    public void AveragePrecision_Float32NeighboursNotMerged_DiffersFromRoundedScores()
    {
        // 0.5f and the next float above it are distinct thresholds; a cast that merged them would tie them.
        float a = 0.5f, b = MathF.BitIncrement(0.5f);
        var labels = new[] { false, true };
        Assert.Equal(1.0, RankingMetrics.AveragePrecision(new[] { a, b }, labels));
        Assert.Equal(0.5, RankingMetrics.AveragePrecision(new[] { a, a }, labels));
    }

    [Fact]
    public void AveragePrecision_NegativeAndPositiveZero_AreOneTie()
    {
        Assert.Equal(0.5, RankingMetrics.AveragePrecision(new[] { -0.0, 0.0 }, new[] { false, true }));
        Assert.Equal(0.5, RankingMetrics.AreaUnderRoc(new[] { -0.0, 0.0 }, new[] { false, true }));
    }

    [Fact]
    public void AveragePrecision_NonFiniteScore_Throws()
    {
        Assert.Throws<ArgumentException>(() => RankingMetrics.AveragePrecision(new[] { 0.1, double.NaN }, new[] { true, false }));
        Assert.Throws<ArgumentException>(() => RankingMetrics.AveragePrecision(new[] { 0.1 }, new[] { true, false }));
        Assert.Throws<ArgumentException>(() => RankingMetrics.AveragePrecision(ReadOnlySpan<double>.Empty, ReadOnlySpan<bool>.Empty));
    }

    [Property(MaxTest = 200)]
    public Property AveragePrecision_PermutedSamples_Unchanged(int[] raw, int seed)
    {
        var (scores, labels) = Sample(raw);
        if (scores.Length == 0) return true.ToProperty();
        var rng = new Random(seed);
        var perm = Enumerable.Range(0, scores.Length).OrderBy(_ => rng.Next()).ToArray();
        double a = RankingMetrics.AveragePrecision(scores, labels);
        double b = RankingMetrics.AveragePrecision(perm.Select(i => scores[i]).ToArray(), perm.Select(i => labels[i]).ToArray());
        return (Math.Abs(a - b) <= 1e-12).Label($"{a} vs {b}");
    }

    [Property(MaxTest = 200)]
    public Property AreaUnderRoc_NegatedScores_IsOneMinus(int[] raw)
    {
        var (scores, labels) = Sample(raw);
        if (scores.Length == 0) return true.ToProperty();
        double? a = RankingMetrics.AreaUnderRoc(scores, labels);
        double? b = RankingMetrics.AreaUnderRoc(scores.Select(x => -x).ToArray(), labels);
        return (a is null ? b is null : b is not null && Math.Abs(a.Value + b.Value - 1) <= 1e-12).ToProperty();
    }

    [Property(MaxTest = 200)]
    public Property Metrics_Bounded_BetweenZeroAndOne(int[] raw)
    {
        var (scores, labels) = Sample(raw);
        if (scores.Length == 0) return true.ToProperty();
        double ap = RankingMetrics.AveragePrecision(scores, labels);
        double? auc = RankingMetrics.AreaUnderRoc(scores, labels);
        return (ap >= 0 && ap <= 1 + 1e-15 && (auc is null || auc >= 0 && auc <= 1)).ToProperty();
    }

    /// <summary>Few distinct scores (heavy ties) and labels from small integers.</summary>
    internal static (double[] Scores, bool[] Labels) Sample(int[] raw)
    {
        raw ??= [];
        return (raw.Select(v => (double)(Math.Abs(v % 7) / 2)).ToArray(), raw.Select(v => (v & 1) == 1).ToArray());
    }
}
