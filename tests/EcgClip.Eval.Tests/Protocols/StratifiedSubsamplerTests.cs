using EcgClip.Eval.Protocols;

namespace EcgClip.Eval.Tests.Protocols;

public sealed class StratifiedSubsamplerTests
{
    /// <summary>500 rows, 12 labels: 4 common (≈20–40%), 4 rare (5–10 positives), 4 very rare (1–2 positives).</summary>
    private static ProbeTargets RareLabels(int seed)
    {
        const int n = 500, labels = 12;
        var rng = new Random(seed);
        var y = new float[n * labels];
        for (int l = 0; l < labels; l++)
        {
            int positives = l < 4 ? rng.Next(100, 200) : l < 8 ? rng.Next(5, 11) : rng.Next(1, 3);
            foreach (int i in Enumerable.Range(0, n).OrderBy(_ => rng.Next()).Take(positives)) y[i * labels + l] = 1;
        }
        return ProbeTargets.Multilabel(y, Enumerable.Range(0, labels).Select(l => $"l{l}").ToArray());
    }

    private static int[] Counts(ProbeTargets t, IEnumerable<int> rows)
    {
        var c = new int[t.Outputs];
        foreach (int i in rows)
            for (int l = 0; l < t.Outputs; l++) if (t[i, l] == 1) c[l]++;
        return c;
    }

    [Theory]
    [InlineData(0.05)]
    [InlineData(0.1)]
    [InlineData(0.5)]
    public void Sample_RoomForAllLabels_EveryLabelHasAPositive(double fraction)
    {
        for (int seed = 0; seed < 10; seed++)
        {
            var t = RareLabels(seed);
            var rows = StratifiedSubsampler.Sample(t, fraction, (ulong)seed);
            Assert.Equal((int)Math.Round(fraction * t.Rows), rows.Length);
            Assert.Equal(rows.Length, rows.Distinct().Count());
            Assert.True(rows.SequenceEqual(rows.Order()));
            Assert.All(Counts(t, rows), c => Assert.True(c >= 1));
        }
    }

    [Fact]
    public void Sample_FewerRowsThanLabels_CoversAsManyLabelsAsRowsRarestFirst()
    {
        var t = RareLabels(3);
        var rows = StratifiedSubsampler.Sample(t, 0.01, 7); // 5 rows for 12 labels
        Assert.Equal(5, rows.Length);
        var counts = Counts(t, rows);
        Assert.True(counts.Count(c => c > 0) >= 5);
        var all = Counts(t, Enumerable.Range(0, t.Rows));
        int rarest = Array.IndexOf(all, all.Min());
        Assert.True(counts[rarest] >= 1, "the rarest label is covered first");
    }

    [Fact]
    public void Sample_TenPercent_KeepsLabelProportions()
    {
        var t = RareLabels(5);
        var rows = StratifiedSubsampler.Sample(t, 0.1, 11);
        var sub = Counts(t, rows);
        var all = Counts(t, Enumerable.Range(0, t.Rows));
        for (int l = 0; l < 4; l++) Assert.InRange(sub[l], 0.1 * all[l] - 2, 0.1 * all[l] + 2);
    }

    [Fact]
    public void Sample_SameSeed_SameRowsOtherSeedOtherRows()
    {
        var t = RareLabels(1);
        var a = StratifiedSubsampler.Sample(t, 0.1, 42);
        Assert.Equal(a, StratifiedSubsampler.Sample(t, 0.1, 42));
        Assert.NotEqual(a, StratifiedSubsampler.Sample(t, 0.1, 43));
        Assert.Equal(Enumerable.Range(0, t.Rows), StratifiedSubsampler.Sample(t, 1.0, 42));
    }

    [Fact]
    public void Sample_MulticlassAndRegression_StratifiesClassesAndDeciles()
    {
        var rng = new Random(2);
        var classes = Enumerable.Range(0, 300).Select(i => i < 3 ? 3 : rng.Next(3)).ToArray(); // class 3 has 3 rows
        var mc = ProbeTargets.Multiclass(classes, ["a", "b", "c", "rare"]);
        var rows = StratifiedSubsampler.Sample(mc, 0.02, 1);
        Assert.Equal(6, rows.Length);
        Assert.Equal(4, rows.Select(i => classes[i]).Distinct().Count());

        var ages = Enumerable.Range(0, 300).Select(_ => 20 + 70 * rng.NextDouble()).ToArray();
        var reg = ProbeTargets.Regression(ages, ["age"]);
        var r = StratifiedSubsampler.Sample(reg, 0.1, 3);
        Assert.Equal(30, r.Length);
        var sorted = ages.Order().ToArray();
        var deciles = r.Select(i => Array.IndexOf(sorted, ages[i]) * 10 / 300).ToArray();
        Assert.Equal(10, deciles.Distinct().Count());
    }

    [Fact]
    public void Sample_FractionOutsideUnitInterval_Throws()
    {
        var t = RareLabels(0);
        Assert.Throws<ArgumentOutOfRangeException>(() => StratifiedSubsampler.Sample(t, 0, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => StratifiedSubsampler.Sample(t, 1.5, 1));
    }
}
