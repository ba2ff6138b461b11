using System.Text.Json;
using EcgClip.Eval.Bootstrap;
using EcgClip.Eval.Metrics;
using EcgClip.Eval.Tests.Fixtures;
using EcgClip.Signal.Formats.Npy;
using EcgClip.Testing;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Xunit.Abstractions;

namespace EcgClip.Eval.Tests.Bootstrap;

public sealed class BootstrapTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(8)]
    [InlineData(16)]
    public void Weighted_CountsEqualResampledData_MatchesSklearnWithin1e9(int lanes)
    {
        // sklearn computed the metrics on np.repeat(data, counts): duplicates tie with each other
        foreach (var c in Oracle.Cases("weighted"))
        {
            var ranking = TaskRanking.Build(c.Doubles("scores"), c.Bools("labels"));
            var (ap, auc) = BootstrapEngine.Weighted(ranking, c.Ints("counts"), lanes);
            if (c.NullableDouble("average_precision") is double eap) Assert.True(Math.Abs(ap - eap) <= 1e-9, $"{ap} vs {eap}");
            else Assert.True(double.IsNaN(ap));
            if (c.NullableDouble("area_under_roc") is double eauc) Assert.True(Math.Abs(auc - eauc) <= 1e-9, $"{auc} vs {eauc}");
            else Assert.True(double.IsNaN(auc));
        }
    }

    [Theory]
    [InlineData(new[] { 1.0, 2, 3, 4 }, 1.075, 3.925)]
    [InlineData(new[] { 0.5 }, 0.5, 0.5)]
    [InlineData(new[] { 3, 1, 2, 10, 7, 7, 0.25 }, 0.36250000000000004, 9.549999999999999)]
    public void Percentile_NumpyLinear_MatchesNumpy(double[] values, double p025, double p975)
    {
        // expected values printed by numpy 1.24 np.percentile(values, 2.5 / 97.5)
        var scratch = new double[values.Length];
        Assert.Equal(p025, Percentile.Of(values, 2.5, scratch, out _), 15);
        Assert.Equal(p975, Percentile.Of(values, 97.5, scratch, out _), 15);
    }

    [Fact]
    public void Evaluate_ThreadCounts_IdenticalIntervals()
    {
        var data = CliFixture();
        var one = new RankingEvaluator().Evaluate(data, new BootstrapOptions(100, 42, 1));
        var two = new RankingEvaluator().Evaluate(data, new BootstrapOptions(100, 42, 2));
        var many = new RankingEvaluator().Evaluate(data, new BootstrapOptions(100, 42, 7));
        Assert.Equal(one.Tasks.Select(t => t.AveragePrecisionInterval), two.Tasks.Select(t => t.AveragePrecisionInterval));
        Assert.Equal(one.Tasks.Select(t => t.AreaUnderRocInterval), many.Tasks.Select(t => t.AreaUnderRocInterval));
        Assert.Equal(one.MacroAveragePrecision.Interval, many.MacroAveragePrecision.Interval);
    }

    [Fact]
    public void Run_EightAndSixteenLanes_IdenticalDraws()
    {
        var data = CliFixture();
        var rankings = RankingEvaluator.Rank(data, 1);
        var eight = BootstrapEngine.Run([rankings], ResampleScheme.Plain(data.SampleCount), 37, 4, 2, lanes: 8);
        var sixteen = BootstrapEngine.Run([rankings], ResampleScheme.Plain(data.SampleCount), 37, 4, 1, lanes: 16);
        for (int t = 0; t < data.TaskCount; t++)
        {
            Assert.Equal(eight.AveragePrecision[0][t], sixteen.AveragePrecision[0][t]);
            Assert.Equal(eight.AreaUnderRoc[0][t], sixteen.AreaUnderRoc[0][t]);
        }
    }

    [Property(MaxTest = 100)]
    public Property Weighted_RandomCounts_EqualsMetricsOnMaterialisedResample(int[] raw, int seed)
    {
        var (scores, labels) = Metrics.RankingMetricsTests.Sample(raw);
        if (scores.Length == 0) return true.ToProperty();
        var rng = new Random(seed);
        var counts = scores.Select(_ => rng.Next(4)).ToArray();
        var s = scores.SelectMany((x, i) => Enumerable.Repeat(x, counts[i])).ToArray();
        var y = labels.SelectMany((x, i) => Enumerable.Repeat(x, counts[i])).ToArray();
        var (ap, auc) = BootstrapEngine.Weighted(TaskRanking.Build(scores, labels), counts, 8);
        var (ap16, auc16) = BootstrapEngine.Weighted(TaskRanking.Build(scores, labels), counts, 16);
        if (y.Length == 0 || !y.Contains(true)) return (double.IsNaN(ap) && double.IsNaN(ap16)).ToProperty();
        var reference = TaskRanking.Build(s, y);
        bool apOk = Math.Abs(ap - reference.AveragePrecision()) <= 1e-12 && ap == ap16;
        bool aucOk = reference.AreaUnderRoc() is double r ? Math.Abs(auc - r) <= 1e-12 && auc == auc16 : double.IsNaN(auc);
        return (apOk && aucOk).ToProperty();
    }

    [Fact]
    public void Evaluate_Intervals_BracketPointEstimates()
    {
        var report = new RankingEvaluator().Evaluate(CliFixture(), new BootstrapOptions(500, 3));
        foreach (var t in report.Tasks)
        {
            if (t.AveragePrecisionInterval is { } ap)
                Assert.InRange(t.Metrics.AveragePrecision, ap.Lower, ap.Upper);
            if (t.AreaUnderRocInterval is { } auc)
                Assert.InRange(t.Metrics.AreaUnderRoc!.Value, auc.Lower, auc.Upper);
        }
        Assert.InRange(report.MacroAveragePrecision.Metric.Value!.Value, report.MacroAveragePrecision.Interval!.Value.Lower, report.MacroAveragePrecision.Interval!.Value.Upper);
    }

    [Fact]
    public void FromDraws_EstimateOutsidePercentileInterval_MovesNearerBoundAndFlagsIt()
    {
        double[] draws = Enumerable.Range(0, 101).Select(i => 0.50 + i / 1000.0).ToArray(); // 0.500 … 0.600
        var plain = ConfidenceInterval.FromDraws(draws, 0.95, new double[draws.Length], out _)!.Value;
        Assert.Equal(0.5025, plain.Lower, 12); // numpy percentile(…, 2.5), linear
        Assert.Equal(0.5975, plain.Upper, 12);
        Assert.False(plain.Widened);

        var below = ConfidenceInterval.FromDraws(draws, 0.95, new double[draws.Length], out _, estimate: 0.49)!.Value;
        Assert.Equal((0.49, 0.5975), (below.Lower, Math.Round(below.Upper, 12)));
        Assert.True(below.Widened);

        var inside = ConfidenceInterval.FromDraws(draws, 0.95, new double[draws.Length], out _, estimate: 0.55)!.Value;
        Assert.Equal(plain with { }, inside);
    }

    [Fact]
    public void Evaluate_IntervalWidths_WithinQuarterOfSklearnPercentileBootstrap()
    {
        var expected = JsonDocument.Parse(File.ReadAllText(TestPaths.Repo("tests", "EcgClip.Cli.Tests", "Metrics", "Fixtures", "expected.json"))).RootElement;
        int b = expected.GetProperty("sklearn_bootstrap_resamples").GetInt32();
        var report = new RankingEvaluator().Evaluate(CliFixture(), new BootstrapOptions(b, 11));
        var apCis = expected.GetProperty("sklearn_prauc_ci").EnumerateArray().ToArray();
        var aucCis = expected.GetProperty("sklearn_auroc_ci").EnumerateArray().ToArray();
        for (int t = 0; t < report.Tasks.Count; t++)
        {
            Check(report.Tasks[t].AveragePrecisionInterval, apCis[t], $"{t} PRAUC");
            Check(report.Tasks[t].AreaUnderRocInterval, aucCis[t], $"{t} AUROC");
        }

        void Check(ConfidenceInterval? ours, JsonElement sk, string what)
        {
            if (sk.ValueKind == JsonValueKind.Null)
            {
                Assert.Null(ours);
                return;
            }
            double skWidth = sk[1].GetDouble() - sk[0].GetDouble();
            double width = ours!.Value.Upper - ours.Value.Lower;
            output.WriteLine($"{what}: width {width:F4} vs sklearn {skWidth:F4} (ratio {width / skWidth:F3})");
            Assert.InRange(width / skWidth, 0.75, 1.25);
        }
    }

    [Fact]
    public void Evaluate_OneSamplePerPatient_EqualsPlainBootstrap()
    {
        var data = CliFixture();
        var ids = Enumerable.Range(0, data.SampleCount).Select(i => (long)i * 10).ToArray();
        var plain = new RankingEvaluator().Evaluate(data, new BootstrapOptions(64, 5));
        var clustered = new RankingEvaluator().Evaluate(data, new BootstrapOptions(64, 5, PatientIds: ids));
        Assert.Equal(plain.Tasks.Select(t => t.AveragePrecisionInterval), clustered.Tasks.Select(t => t.AveragePrecisionInterval));
    }

    [Fact]
    public void Evaluate_PatientClusters_ResampleWholePatients()
    {
        // every patient holds 3 identical copies of a sample: the cluster bootstrap varies like a plain bootstrap of
        // the distinct samples, whereas a plain bootstrap over the copies is too narrow (≈ 1/√3 of the width).
        var baseData = CliFixture();
        int n = baseData.SampleCount;
        var y = new double[3 * n];
        var s = new double[3 * n];
        var ids = new long[3 * n];
        for (int i = 0; i < 3 * n; i++)
        {
            y[i] = baseData.Labels(0)[i % n] ? 1 : 0;
            s[i] = baseData.Scores(0)[i % n];
            ids[i] = i % n;
        }
        var copies = BinaryTaskData.FromRowMajor(y, s, 3 * n, 1);
        var plain = new RankingEvaluator().Evaluate(copies, new BootstrapOptions(400, 9)).Tasks[0].AreaUnderRocInterval!.Value;
        var clustered = new RankingEvaluator().Evaluate(copies, new BootstrapOptions(400, 9, PatientIds: ids)).Tasks[0].AreaUnderRocInterval!.Value;
        double ratio = (clustered.Upper - clustered.Lower) / (plain.Upper - plain.Lower);
        output.WriteLine($"cluster / plain width = {ratio:F3}");
        Assert.InRange(ratio, 1.4, 2.1);
    }

    [Fact]
    public void Evaluate_NoPositiveTask_SkipsAllResamplesAndReportsNull()
    {
        var report = new RankingEvaluator().Evaluate(CliFixture(), new BootstrapOptions(500, 1));
        var none = report.Tasks[3];
        Assert.False(none.Metrics.HasPositives);
        Assert.Null(none.AveragePrecisionInterval);
        Assert.Equal(500, none.AveragePrecisionSkippedResamples);
        Assert.Contains(none.Metrics.Name, report.MacroAveragePrecision.Metric.SkippedTasks);
        Assert.True(report.Tasks[2].AveragePrecisionSkippedResamples > 0); // 4 positives in 400: some resamples draw none
    }

    [Property(MaxTest = 30)]
    public Property Evaluate_FixedSeed_OrderedAndReproducible(int[] raw, ulong seed)
    {
        var (scores, labels) = Metrics.RankingMetricsTests.Sample(raw);
        if (scores.Length == 0) return true.ToProperty();
        var data = BinaryTaskData.FromSingleTask(labels, scores);
        var a = new RankingEvaluator().Evaluate(data, new BootstrapOptions(24, seed, 1)).Tasks[0];
        var b = new RankingEvaluator().Evaluate(data, new BootstrapOptions(24, seed, 2)).Tasks[0];
        bool ordered = (a.AveragePrecisionInterval is not { } i || i.Lower <= i.Upper)
            && (a.AreaUnderRocInterval is not { } j || j.Lower <= j.Upper);
        return (ordered && a == b).ToProperty();
    }

    [Fact]
    public void Validate_BadOptions_Throw()
    {
        Assert.Throws<ArgumentException>(() => new BootstrapOptions(-1).Validate(10));
        Assert.Throws<ArgumentException>(() => new BootstrapOptions(10, ConfidenceLevel: 1.0).Validate(10));
        Assert.Throws<ArgumentException>(() => new BootstrapOptions(10, PatientIds: new long[3]).Validate(10));
    }

    internal static BinaryTaskData CliFixture()
    {
        var y = NpyReader.Read(TestPaths.Repo("tests", "EcgClip.Cli.Tests", "Metrics", "Fixtures", "y.npy"));
        var s = NpyReader.Read(TestPaths.Repo("tests", "EcgClip.Cli.Tests", "Metrics", "Fixtures", "s.npy"));
        return BinaryTaskData.FromRowMajor(y.ToDoubleArray(), s.ToDoubleArray(), y.Shape[0], y.Shape[1]);
    }
}
