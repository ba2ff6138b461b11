using System.Text.Json;
using EcgClip.Eval.Protocols;
using EcgClip.Eval.Reporting;
using static EcgClip.Eval.Tests.Protocols.Reproduction.ReproductionVerdictsTests;

namespace EcgClip.Eval.Tests.Protocols.Reproduction;

public sealed class ReproductionReportWriterTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "ecgclip-repro-report-" + Guid.NewGuid().ToString("N"));
    private readonly ReproductionOptions _options = new() { OutputDirectory = "x", Seeds = 2 };

    public void Dispose()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }

    private static ReproductionComparison Comparison(string a, double fa, string b, double fb, params (double Lower, double Upper)[] cis)
    {
        var runs = cis.Select((c, i) => Run(a, fa, b, fb, (ulong)i, c.Lower, c.Upper)).ToArray();
        return new ReproductionComparison("superdiagnostic", a, fa, b, fb, runs, ReproductionVerdicts.Combine(runs));
    }

    [Fact]
    public void Sentences_state_the_verdict_with_the_interval_and_the_seed_count()
    {
        var won = ReproductionSentences.Sentence(Comparison("ecgclip", 0.1, "random", 0.1, (0.01, 0.05), (0.02, 0.04)));
        Assert.Contains("superdiagnostic, 10% of the labels: ECGCLIP beat random initialisation", won);
        Assert.Contains("[95% CI +0.010, +0.050]", won);
        Assert.Contains("won in 2, lost in 0 and indistinguishable in 0 of 2 seeds", won);
        Assert.EndsWith("**won**.", won);
        var lost = ReproductionSentences.Sentence(Comparison("ecgclip", 1, "merl", 1, (-0.05, -0.01)));
        Assert.Contains("ECGCLIP lost to the MERL objective", lost);
        Assert.EndsWith("**lost**.", lost);
        var tie = ReproductionSentences.Sentence(Comparison("ecgclip", 0.1, "random", 1, (-0.02, 0.03)));
        Assert.Contains("10% of the labels vs 100%: ECGCLIP and random initialisation could not be told apart", tie);
    }

    [Fact]
    public void Claims_say_plainly_when_pretraining_did_not_beat_random()
    {
        var notBeaten = new[] { Comparison("ecgclip", 0.1, "random", 0.1, (-0.01, 0.05)), Comparison("ecgclip", 0.1, "random", 1, (-0.08, -0.01)) };
        var lines = ReproductionReportWriter.Claims(notBeaten, _options);
        Assert.StartsWith("Claim 1 does not hold here", lines[0]);
        Assert.StartsWith("Claim 2 does not hold here", lines[1]);
        var beaten = new[] { Comparison("ecgclip", 0.1, "random", 0.1, (0.01, 0.05)), Comparison("ecgclip", 0.1, "random", 1, (0.001, 0.03)) };
        lines = ReproductionReportWriter.Claims(beaten, _options);
        Assert.StartsWith("Claim 1 holds", lines[0]);
        Assert.StartsWith("Claim 2 holds", lines[1]);
    }

    [Fact]
    public void Writer_puts_report_md_beside_results_json_with_one_row_per_task_model_and_fraction()
    {
        var rows = new[]
        {
            new ReproductionRow("superdiagnostic", "ecgclip", 0.1, 2, 0.61, new ConfidenceIntervalPair(0.55, 0.66), 0.8, 0.6, 0.01, null, null, null, null, null),
            new ReproductionRow("age", "random", 1, 1, null, null, null, null, null, 11.2, new ConfidenceIntervalPair(10.5, 12.0), 13.4, 11.2, 0),
        };
        var comparisons = new[] { Comparison("ecgclip", 0.1, "random", 0.1, (0.01, 0.05)) };
        var pre = new[] { new PretrainingOutcome("clip", "ecgclip", "/c", 10, false, 60, 3.4, 2.1, 0.3) };
        var files = new ReproductionReportWriter().Write(_dir, _options, pre, rows, comparisons, [], [], 120);
        Assert.Equal(Path.GetDirectoryName(files.Json), Path.GetDirectoryName(files.Report));
        string report = File.ReadAllText(files.Report);
        Assert.Contains("ECGCLIP beat random initialisation", report);
        Assert.Contains("| age | random | 100% | 1 | – | – | – | 11.20 [10.50, 12.00] | 13.40 |", report);
        var json = JsonDocument.Parse(File.ReadAllText(files.Json)).RootElement;
        var row = json.GetProperty("rows")[0];
        Assert.Equal(0.61, row.GetProperty("macro_prauc").GetDouble());
        Assert.Equal(0.55, row.GetProperty("macro_prauc_ci")[0].GetDouble());
        Assert.Equal("won", json.GetProperty("comparisons")[0].GetProperty("verdict").GetString());
        Assert.Equal(3, File.ReadAllLines(files.Csv).Length);
    }
}
