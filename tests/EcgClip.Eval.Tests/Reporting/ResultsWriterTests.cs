using System.Globalization;
using System.Text.Json;
using EcgClip.Eval.Comparison;
using EcgClip.Eval.IO;
using EcgClip.Eval.Metrics;
using EcgClip.Eval.Protocols;
using EcgClip.Eval.Reporting;
using EcgClip.Eval.Tests.Protocols;
using EcgClip.Signal.Datasets;

namespace EcgClip.Eval.Tests.Reporting;

public sealed class ResultsWriterTests
{
    [Fact]
    public void Write_Json_PerTaskPraucEqualsMetricOnSavedNpy()
    {
        using var tmp = new TempFolder();
        var files = new ResultsWriter().Write(tmp.Path, ReportFixturesCache.Report);
        using var doc = JsonDocument.Parse(File.ReadAllText(files.Json));
        int checkedRuns = 0;
        foreach (var model in doc.RootElement.GetProperty("models").EnumerateArray())
            foreach (var fraction in model.GetProperty("fractions").EnumerateArray())
                foreach (var run in fraction.GetProperty("runs").EnumerateArray())
                {
                    string folder = Path.Combine(tmp.Path, run.GetProperty("folder").GetString()!);
                    var data = BinaryTaskFiles.Read(Path.Combine(folder, "test_labels.npy"), Path.Combine(folder, "test_scores.npy"), Path.Combine(folder, "tasks.txt"));
                    var tasks = run.GetProperty("tasks").EnumerateArray().ToArray();
                    Assert.Equal(data.TaskCount, tasks.Length);
                    var recomputed = RankingMetrics.Evaluate(data);
                    for (int t = 0; t < tasks.Length; t++)
                    {
                        Assert.Equal(data.TaskNames[t], tasks[t].GetProperty("name").GetString());
                        Assert.Equal(recomputed[t].AveragePrecision, tasks[t].GetProperty("prauc").GetDouble()); // exact
                        Assert.Equal(recomputed[t].AreaUnderRoc!.Value, tasks[t].GetProperty("auroc").GetDouble());
                        Assert.Equal(recomputed[t].PositiveCount / (double)data.SampleCount, tasks[t].GetProperty("prevalence").GetDouble());
                        var ci = tasks[t].GetProperty("prauc_ci");
                        Assert.InRange(recomputed[t].AveragePrecision, ci[0].GetDouble(), ci[1].GetDouble());
                    }
                    Assert.Equal(MetricAverages.AveragePrecision(recomputed).Value!.Value, run.GetProperty("macro_prauc").GetDouble(), 15);
                    checkedRuns++;
                }
        Assert.Equal(6, checkedRuns); // 2 models × (2 seeds at 10% + 1 run at 100%)
        var rows = doc.RootElement.GetProperty("rows").EnumerateArray().ToArray();
        Assert.Equal(4, rows.Length);
        Assert.All(rows, r => Assert.Equal("synthetic", r.GetProperty("task").GetString()));
        Assert.Equal(JsonValueKind.Array, rows[0].GetProperty("macro_prauc_ci").ValueKind);
    }

    [Fact]
    public void Write_Csv_MacroRowsMatchJsonAndParse()
    {
        using var tmp = new TempFolder();
        var files = new ResultsWriter().Write(tmp.Path, ReportFixturesCache.Report);
        var lines = File.ReadAllLines(files.Csv);
        var header = lines[0].Split(',');
        Assert.Equal("model", header[0]);
        int prauc = Array.IndexOf(header, "prauc"), task = Array.IndexOf(header, "task");
        var macro = lines.Skip(1).Select(l => l.Split(',')).Where(c => c[task] == "macro").ToArray();
        Assert.Equal(6, macro.Length);
        Assert.All(lines.Skip(1), l => Assert.Equal(header.Length, l.Split(',').Length));
        var expected = ReportFixturesCache.Report.Models.SelectMany(m => m.Runs).Select(r => r.Ranking!.MacroAveragePrecision.Metric.Value!.Value).ToArray();
        Assert.Equal(expected, macro.Select(c => double.Parse(c[prauc], CultureInfo.InvariantCulture)));
    }

    [Fact]
    public void Write_Markdown_StatesVerdictsAndIntervals()
    {
        using var tmp = new TempFolder();
        var files = new ResultsWriter().Write(tmp.Path, ReportFixturesCache.Report);
        string md = File.ReadAllText(files.Markdown);
        Assert.Contains("| informative | 10% |", md);
        Assert.Contains("informative @ 100% | noise @ 100%", md);
        Assert.Contains("**won**", md);
        Assert.Contains("(2 seeds)", md);
        Assert.Contains("Macro PRAUC [95% CI]", md);
    }

    [Fact]
    public void CompareMatching_InformativeVersusNoise_WonWithIntervalAboveZero()
    {
        var comparisons = ReportFixturesCache.Report.Comparisons;
        Assert.Equal(3, comparisons.Count);
        var full = comparisons.Single(c => c.FractionA == 1.0);
        Assert.Equal(ComparisonVerdict.Won, full.Verdict);
        Assert.True(full.Difference.Interval!.Value.Lower > 0);
        var reversed = new ModelComparer().Compare("noise", ReportFixturesCache.Report.Models[1].Runs.Last(), "informative", ReportFixturesCache.Report.Models[0].Runs.Last(), ReportFixtures.Bootstrap);
        Assert.Equal(ComparisonVerdict.Lost, reversed.Verdict);
        Assert.Equal(-full.Difference.Difference!.Value, reversed.Difference.Difference!.Value, 12);
    }

    [Theory]
    [InlineData(0.01, 0.05, true, ComparisonVerdict.Won)]
    [InlineData(-0.05, -0.01, true, ComparisonVerdict.Lost)]
    [InlineData(-0.01, 0.02, true, ComparisonVerdict.Indistinguishable)]
    [InlineData(-0.05, -0.01, false, ComparisonVerdict.Won)]
    public void Verdict_IntervalSide_DecidesOutcome(double lower, double upper, bool higherIsBetter, ComparisonVerdict expected)
    {
        var d = new DifferenceEstimate(0.5, 0.4, (lower + upper) / 2, new EcgClip.Eval.Bootstrap.ConfidenceInterval(lower, upper), 0.01, 0);
        Assert.Equal(expected, ModelComparer.Verdict(d, higherIsBetter));
    }

    [Fact]
    public void Write_Regression_JsonHasMaeAndTrainingMeanBaseline()
    {
        var rng = new Random(8);
        int n = 300, d = 4;
        var x = new float[n * d];
        var y = new double[n];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < d; j++) x[i * d + j] = (float)ProbeTestData.Normal(rng);
            y[i] = 60 + 9 * x[i * d] + 5 * ProbeTestData.Normal(rng);
        }
        var all = new ProbeSplit(DatasetSplit.Train, new FeatureMatrix(x, n, d), ProbeTargets.Regression(y, ["age"]));
        ProbeSplit Part(DatasetSplit s, int from, int count) { var p = all.SelectRows(Enumerable.Range(from, count).ToArray()); return new ProbeSplit(s, p.Embeddings, p.Targets); }
        var opts = ReportFixtures.Options with { Fractions = [1.0] };
        var result = new DataEfficiencyRunner().Run("m", Part(DatasetSplit.Train, 0, 200), Part(DatasetSplit.Validation, 200, 50), Part(DatasetSplit.Test, 250, 50), opts);
        using var tmp = new TempFolder();
        var files = new ResultsWriter().Write(tmp.Path, new EvaluationReport("age", "linear-probe", [result], [], ReportFixtures.Bootstrap));
        using var doc = JsonDocument.Parse(File.ReadAllText(files.Json));
        var target = doc.RootElement.GetProperty("models")[0].GetProperty("fractions")[0].GetProperty("runs")[0].GetProperty("targets")[0];
        var labels = Signal.Formats.Npy.NpyReader.Read(Path.Combine(files.ScoreFolders[0], "test_labels.npy")).ToDoubleArray();
        var scores = Signal.Formats.Npy.NpyReader.Read(Path.Combine(files.ScoreFolders[0], "test_scores.npy")).ToDoubleArray();
        Assert.Equal(RegressionMetrics.Compute(labels, scores).MeanAbsoluteError, target.GetProperty("mae").GetDouble(), 12);
        double trainMean = y.Take(200).Average();
        Assert.Equal(labels.Average(v => Math.Abs(v - trainMean)), target.GetProperty("training_mean_baseline").GetProperty("mae").GetDouble(), 12);
        Assert.Contains("Training-mean MAE", File.ReadAllText(files.Markdown));
        Assert.Contains(",age,regression,", File.ReadAllText(files.Csv));
    }
}
