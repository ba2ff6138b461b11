using EcgClip.Eval.Bootstrap;
using EcgClip.Eval.Comparison;
using EcgClip.Eval.Metrics;
using EcgClip.Eval.Tests.Bootstrap;

namespace EcgClip.Eval.Tests.Comparison;

public sealed class PairedComparerTests
{
    [Fact]
    public void Compare_SameModel_ZeroDifferencePValueOne()
    {
        var data = BootstrapTests.CliFixture();
        var report = new PairedComparer().Compare(data, data, new BootstrapOptions(200, 1));
        foreach (var t in report.Tasks.Where(t => t.PositiveCount > 0))
        {
            Assert.Equal(0, t.AveragePrecision.Difference);
            Assert.Equal(new ConfidenceInterval(0, 0), t.AveragePrecision.Interval);
            Assert.Equal(1, t.AveragePrecision.PValue);
        }
        Assert.Equal(1, report.MacroAveragePrecision.PValue);
        Assert.Contains("task_3", report.SkippedTasks);
    }

    [Fact]
    public void Compare_RandomVersusInformative_SmallPValueAndIntervalExcludesZero()
    {
        var data = BootstrapTests.CliFixture();
        var rng = new Random(3);
        var noise = new double[data.SampleCount * data.TaskCount];
        for (int i = 0; i < noise.Length; i++) noise[i] = rng.NextDouble();
        var report = new PairedComparer().Compare(data, data.WithScores(noise), new BootstrapOptions(300, 2));
        Assert.True(report.MacroAreaUnderRoc.Interval!.Value.Lower > 0);
        Assert.True(report.MacroAreaUnderRoc.PValue < 0.01);
        var dx0 = report.Tasks[0];
        Assert.True(dx0.DeLong!.PValue < 0.01);
    }

    [Fact]
    public void Compare_DifferencesMatchPointMetrics()
    {
        var a = BootstrapTests.CliFixture();
        var b = a.WithScores(Enumerable.Range(0, a.SampleCount * a.TaskCount).Select(i => (double)(i % 17)).ToArray());
        var report = new PairedComparer().Compare(a, b, new BootstrapOptions(0));
        var pa = RankingMetrics.Evaluate(a);
        var pb = RankingMetrics.Evaluate(b);
        for (int t = 0; t < a.TaskCount; t++)
        {
            if (!pa[t].HasPositives) continue;
            Assert.Equal(pa[t].AveragePrecision - pb[t].AveragePrecision, report.Tasks[t].AveragePrecision.Difference!.Value, 15);
            Assert.Null(report.Tasks[t].AveragePrecision.Interval);
        }
    }

    [Fact]
    public void Compare_DifferentLabels_Throws()
    {
        var a = BinaryTaskData.FromSingleTask(new[] { true, false }, new[] { 0.1, 0.2 });
        var b = BinaryTaskData.FromSingleTask(new[] { false, true }, new[] { 0.1, 0.2 });
        Assert.Throws<ArgumentException>(() => new PairedComparer().Compare(a, b, new BootstrapOptions(10)));
    }
}
