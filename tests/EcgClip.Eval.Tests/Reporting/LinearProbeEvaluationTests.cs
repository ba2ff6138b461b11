using EcgClip.Eval.Reporting;
using EcgClip.Eval.Tests.Plots;
using EcgClip.Eval.Tests.Protocols;

namespace EcgClip.Eval.Tests.Reporting;

public sealed class LinearProbeEvaluationTests
{
    [Fact]
    public void Run_TwoModels_WritesResultsPlotsAndCrossFractionComparisons()
    {
        var (train, val, test) = DataEfficiencyRunnerTests.Splits(31, 240, 100, 120);
        var models = new[]
        {
            new ModelEmbeddings("ecgclip", train, val, test),
            new ModelEmbeddings("random", ReportFixtures.Noise(train, 4), ReportFixtures.Noise(val, 5), ReportFixtures.Noise(test, 6)),
        };
        var seen = new List<ProbeRunProgress>();
        using var tmp = new TempFolder();
        var result = new LinearProbeEvaluation().Run("synthetic", models, tmp.Path, ReportFixtures.Options, new SyncProgress(seen));

        Assert.Equal(6, seen.Count);
        Assert.True(File.Exists(result.Files.Json) && File.Exists(result.Files.Csv) && File.Exists(result.Files.Markdown));
        Assert.Equal(6, result.Files.ScoreFolders.Count);
        Assert.All(result.Files.ScoreFolders, f => Assert.True(File.Exists(Path.Combine(f, "test_scores.npy"))));
        Assert.Equal(3, result.Plots.Count);
        Assert.All(result.Plots, p => Assert.True(PngInspector.Inspect(p).NonWhiteFraction > 0.01));
        var comparisons = result.Report.Comparisons;
        Assert.Equal(5, comparisons.Count); // 3 matching runs + 2 seeds at 10% against random at 100%
        var cross = comparisons.Where(c => c.FractionA == 0.1 && c.FractionB == 1.0).ToArray();
        Assert.Equal(2, cross.Length);
        Assert.All(cross, c => Assert.Equal(ComparisonVerdict.Won, c.Verdict));
        Assert.Contains("ecgclip @ 10% | random @ 100%", File.ReadAllText(result.Files.Markdown));
    }

    /// <summary>Reports synchronously (Progress&lt;T&gt; would post to the thread pool).</summary>
    private sealed class SyncProgress(List<ProbeRunProgress> sink) : IProgress<ProbeRunProgress>
    {
        public void Report(ProbeRunProgress value) => sink.Add(value);
    }
}
