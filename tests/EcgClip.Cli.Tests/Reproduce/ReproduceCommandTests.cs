using System.Text.Json;

namespace EcgClip.Cli.Tests.Reproduce;

public sealed class ReproduceCommandTests : IDisposable
{
    private readonly string _out = Path.Combine(Path.GetTempPath(), "ecgclip-reproduce-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_out)) Directory.Delete(_out, recursive: true);
    }

    private static readonly string[] Tiny = ["reproduce", "--limit", "40", "--steps", "2", "--batch-size", "8", "--seeds", "1", "--bootstrap", "50", "--threads", "1", "--json"];

    [Fact]
    public void A_tiny_reproduction_writes_the_report_the_results_and_one_json_row_per_task_model_and_fraction_and_reuses_its_pretrainings()
    {
        var (code, stdout, stderr) = CliProcess.Run(TimeSpan.FromMinutes(10), [.. Tiny, "--out", _out]);
        Assert.True(code == 0, stderr);
        var lines = stdout.Trim().Split('\n');
        Assert.Single(lines);
        var root = JsonDocument.Parse(lines[0]).RootElement;

        var rows = root.GetProperty("rows").EnumerateArray().ToArray();
        Assert.Equal(12, rows.Length); // superdiagnostic and age × ecgclip, merl, random × 10%, 100%
        foreach (var task in new[] { "superdiagnostic", "age" })
            foreach (var model in new[] { "ecgclip", "merl", "random" })
                foreach (var fraction in new[] { 0.1, 1.0 })
                    Assert.Single(rows, r => r.GetProperty("task").GetString() == task && r.GetProperty("model").GetString() == model && r.GetProperty("fraction").GetDouble() == fraction);
        foreach (var r in rows.Where(r => r.GetProperty("task").GetString() == "superdiagnostic"))
        {
            double prauc = r.GetProperty("macro_prauc").GetDouble();
            Assert.InRange(prauc, 0.0, 1.0);
            var ci = r.GetProperty("macro_prauc_ci");
            Assert.InRange(prauc, ci[0].GetDouble(), ci[1].GetDouble());
            Assert.InRange(r.GetProperty("macro_auroc").GetDouble(), 0.0, 1.0);
            Assert.Equal(prauc, r.GetProperty("macro_prauc_mean").GetDouble(), 12); // one seed: the mean is that run
            Assert.Equal(0, r.GetProperty("macro_prauc_sd").GetDouble());
        }
        foreach (var r in rows.Where(r => r.GetProperty("task").GetString() == "age"))
        {
            Assert.True(r.GetProperty("mae").GetDouble() > 0);
            Assert.True(r.GetProperty("baseline_mae").GetDouble() > 0);
            Assert.Equal(JsonValueKind.Null, r.GetProperty("macro_prauc").ValueKind);
        }

        foreach (var file in new[] { "report.md", "results.json", "results.csv", "results.md", "superdiagnostic/results.json", "age/results.json", "superdiagnostic/data_efficiency.png",
                                     "pretrain-clip/reproduce-pretraining.json", "pretrain-merl/reproduce-pretraining.json" })
            Assert.True(File.Exists(Path.Combine(_out, file)), file);
        string report = File.ReadAllText(Path.Combine(_out, "report.md"));
        var verdicts = report.Split('\n').Where(l => l.StartsWith("- superdiagnostic, ", StringComparison.Ordinal)).ToArray();
        foreach (var head in new[]
                 {
                     "- superdiagnostic, 10% of the labels: ECGCLIP ", "- superdiagnostic, 100% of the labels: ECGCLIP ",
                     "- superdiagnostic, 10% of the labels vs 100%: ECGCLIP ",
                 })
            Assert.Contains(verdicts, l => l.StartsWith(head, StringComparison.Ordinal) && l.Contains("random initialisation", StringComparison.Ordinal));
        Assert.Contains(verdicts, l => l.StartsWith("- superdiagnostic, 10% of the labels: ECGCLIP ", StringComparison.Ordinal) && l.Contains("the MERL objective", StringComparison.Ordinal));
        Assert.All(verdicts, l => Assert.Matches(@"\[95% CI [+-]\d\.\d{3}, [+-]\d\.\d{3}\].*\*\*(won|lost|could not be told apart)\*\*\.$", l));
        Assert.Contains("Claim 1 ", report);
        var comparisons = root.GetProperty("comparisons").EnumerateArray().ToArray();
        Assert.Equal(verdicts.Length, comparisons.Count(c => c.GetProperty("task").GetString() == "superdiagnostic"));

        // Rerun: both pretrainings are reused, not redone, and the probes give the same rows.
        var (code2, stdout2, stderr2) = CliProcess.Run(TimeSpan.FromMinutes(10), [.. Tiny, "--out", _out]);
        Assert.True(code2 == 0, stderr2);
        var again = JsonDocument.Parse(stdout2.Trim().Split('\n')[^1]).RootElement;
        Assert.All(again.GetProperty("pretrainings").EnumerateArray(), p => Assert.True(p.GetProperty("reused").GetBoolean()));
        Assert.Equal(root.GetProperty("rows").GetRawText(), again.GetProperty("rows").GetRawText());
    }

    [Theory]
    [InlineData("--tasks", "superdiagnostic,lvef")]
    [InlineData("--data", "cinc:/nowhere")]
    [InlineData("--fractions", "0.1,2")]
    public void Bad_input_exits_2_naming_the_problem(string option, string value)
    {
        var (code, _, stderr) = CliProcess.Run(TimeSpan.FromMinutes(2), "reproduce", option, value, "--out", _out);
        Assert.Equal(2, code);
        Assert.Contains(value.Split(',')[^1].Split(':')[0], stderr, StringComparison.Ordinal);
    }
}
