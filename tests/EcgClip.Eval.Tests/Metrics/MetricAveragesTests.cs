using EcgClip.Eval.Metrics;

namespace EcgClip.Eval.Tests.Metrics;

public sealed class MetricAveragesTests
{
    private static readonly TaskMetrics[] s_tasks =
    [
        new("a", 2, 8, 0.5, 0.7),
        new("b", 6, 4, 0.9, 0.8),
        new("none", 0, 10, 0.0, null),
    ];

    [Fact]
    public void AveragePrecision_Macro_SkipsTaskWithoutPositives()
    {
        var m = MetricAverages.AveragePrecision(s_tasks);
        Assert.Equal(0.7, m.Value!.Value, 12);
        Assert.Equal(2, m.IncludedTasks);
        Assert.Equal(new[] { "none" }, m.SkippedTasks);
    }

    [Fact]
    public void AveragePrecision_Weighted_UsesPositiveCounts()
    {
        // sklearn average="weighted": weights = support = positives per task
        Assert.Equal((2 * 0.5 + 6 * 0.9) / 8, MetricAverages.AveragePrecision(s_tasks, AverageKind.Weighted).Value!.Value, 12);
        Assert.Equal((2 * 0.5 + 6 * 0.9) / 8, MetricAverages.AveragePrecision(s_tasks, AverageKind.PrevalenceWeighted).Value!.Value, 12);
    }

    [Fact]
    public void AreaUnderRoc_Macro_SkipsSingleClassTask()
    {
        var m = MetricAverages.AreaUnderRoc(s_tasks);
        Assert.Equal(0.75, m.Value!.Value, 12);
        Assert.Equal(new[] { "none" }, m.SkippedTasks);
    }

    [Fact]
    public void MicroAveragePrecision_PooledRanking_EqualsSingleTaskOnConcatenation()
    {
        var d = BinaryTaskData.FromRowMajor(new double[] { 1, 0, 0, 1, 1, 0 }, new[] { 0.9, 0.1, 0.3, 0.8, 0.2, 0.4 }, 3, 2);
        double pooled = RankingMetrics.AveragePrecision(new[] { 0.9, 0.3, 0.2, 0.1, 0.8, 0.4 }, new[] { true, false, true, false, true, false });
        Assert.Equal(pooled, MetricAverages.MicroAveragePrecision(d), 12);
    }
}
