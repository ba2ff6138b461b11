using System.Text;
using EcgClip.Eval.Protocols;

namespace EcgClip.Eval.Reporting;

/// <summary>
/// Writes <c>results.md</c>: a summary table per model and label fraction (macro PRAUC / AUROC with the first seed's
/// interval and mean ± sd over seeds; for regression MAE with interval beside the training-mean baseline), the
/// paired comparisons with their verdicts, and per-task tables (first seed of each fraction; every run is in
/// results.csv) listing tasks skipped for lack of test positives.
/// </summary>
internal static class MarkdownResultsWriter
{
    public static void Write(string path, EvaluationReport report)
    {
        var sb = new StringBuilder();
        var b = report.Bootstrap;
        string level = Format.Percent(b.ConfidenceLevel);
        sb.AppendLine($"# {report.TaskSet}: {report.Protocol}").AppendLine();
        sb.AppendLine($"Intervals: {level} percentile bootstrap, {b.Resamples} resamples, seed {b.Seed}" +
                      (report.Models.Any(m => m.Runs.Any(r => r.Test.PatientIds is not null)) ? ", resampling patients." : ".") +
                      $" {Selection(report.Protocol)}; the test split was scored once per run.").AppendLine();
        bool regression = report.Models.Count > 0 && report.Models[0].Kind == Core.Abstractions.TaskKind.Regression;
        sb.AppendLine("## Summary").AppendLine();
        if (!regression)
        {
            sb.AppendLine($"| Model | Labels | Train rows | Macro PRAUC [{level} CI] | PRAUC seeds mean ± sd | Macro AUROC [{level} CI] | AUROC seeds mean ± sd |");
            sb.AppendLine("|---|---|---|---|---|---|---|");
            foreach (var m in report.Models)
                foreach (var f in m.Fractions)
                {
                    var r = f.Runs[0].Ranking!;
                    sb.AppendLine($"| {m.Model} | {Format.Percent(f.Fraction)} | {f.Runs[0].TrainingRows} | " +
                                  $"{Format.WithInterval(r.MacroAveragePrecision.Metric.Value, r.MacroAveragePrecision.Interval)} | {MeanSd(f.MacroAveragePrecision!)} | " +
                                  $"{Format.WithInterval(r.MacroAreaUnderRoc.Metric.Value, r.MacroAreaUnderRoc.Interval)} | {MeanSd(f.MacroAreaUnderRoc!)} |");
                }
        }
        else
        {
            sb.AppendLine($"| Model | Labels | Target | MAE [{level} CI] | MAE seeds mean ± sd | RMSE | R² | Pearson | Training-mean MAE [{level} CI] |");
            sb.AppendLine("|---|---|---|---|---|---|---|---|---|");
            foreach (var m in report.Models)
                foreach (var f in m.Fractions)
                    for (int t = 0; t < m.OutputNames.Count; t++)
                    {
                        var x = f.Runs[0].Regression!.Targets[t];
                        sb.AppendLine($"| {m.Model} | {Format.Percent(f.Fraction)} | {x.Name} | {Format.WithInterval(x.Metrics.MeanAbsoluteError, x.MeanAbsoluteErrorInterval, 2)} | " +
                                      $"{MeanSd(f.MeanAbsoluteError[t], 2)} | {Format.Fixed(x.Metrics.RootMeanSquaredError, 2)} | {Format.Fixed(x.Metrics.RSquared)} | " +
                                      $"{Format.Fixed(x.Metrics.Pearson)} | {Format.WithInterval(x.Baseline.MeanAbsoluteError, x.BaselineMeanAbsoluteErrorInterval, 2)} |");
                    }
        }
        sb.AppendLine();
        if (report.Comparisons.Count > 0)
        {
            sb.AppendLine("## Paired comparisons").AppendLine();
            sb.AppendLine($"A verdict is *won* or *lost* when the {level} interval of A − B excludes 0, else *indistinguishable*" +
                          (regression ? " (for MAE, lower is better)." : ".")).AppendLine();
            sb.AppendLine($"| A | B | Seed | Metric | A | B | A − B [{level} CI] | p | Verdict for A |");
            sb.AppendLine("|---|---|---|---|---|---|---|---|---|");
            foreach (var c in report.Comparisons)
            {
                var d = c.Difference;
                sb.AppendLine($"| {c.ModelA} @ {Format.Percent(c.FractionA)} | {c.ModelB} @ {Format.Percent(c.FractionB)} | {c.Seed} | {c.Metric} | " +
                              $"{Format.Fixed(d.A)} | {Format.Fixed(d.B)} | {Format.WithInterval(d.Difference, d.Interval)} | {Format.Fixed(d.PValue)} | " +
                              $"**{c.Verdict.ToString().ToLowerInvariant()}** |");
            }
            sb.AppendLine();
        }
        if (!regression)
        {
            foreach (var m in report.Models)
                foreach (var f in m.Fractions)
                    PerTask(sb, m.Model, f.Runs[0], level);
        }
        File.WriteAllText(path, sb.ToString());
    }

    private static void PerTask(StringBuilder sb, string model, ProbeRun run, string level)
    {
        var r = run.Ranking!;
        sb.AppendLine($"## {model}, {Format.Percent(run.Fraction)} of the labels, seed {run.Seed}").AppendLine();
        sb.AppendLine($"{run.TrainingRows} training rows, {run.Test.Rows} test rows, {run.StrengthName} = {Format.Number(run.SelectedStrength)}; " +
                      $"scores in `{EvaluationReport.RunFolder(model, run)}/`.").AppendLine();
        sb.AppendLine($"| Task | Positives | Prevalence | PRAUC [{level} CI] | AUROC [{level} CI] |");
        sb.AppendLine("|---|---|---|---|---|");
        foreach (var t in r.Tasks)
        {
            var x = t.Metrics;
            sb.AppendLine($"| {x.Name} | {x.PositiveCount} | {Format.Fixed(x.PositiveCount / (double)(x.PositiveCount + x.NegativeCount))} | " +
                          $"{(x.HasPositives ? Format.WithInterval(x.AveragePrecision, t.AveragePrecisionInterval) : "–")} | {Format.WithInterval(x.AreaUnderRoc, t.AreaUnderRocInterval)} |");
        }
        sb.AppendLine($"| **macro** | | | {Format.WithInterval(r.MacroAveragePrecision.Metric.Value, r.MacroAveragePrecision.Interval)} | " +
                      $"{Format.WithInterval(r.MacroAreaUnderRoc.Metric.Value, r.MacroAreaUnderRoc.Interval)} |").AppendLine();
        if (r.MacroAveragePrecision.Metric.SkippedTasks.Count > 0)
            sb.AppendLine($"Skipped in the macro PRAUC (no test positive): {string.Join(", ", r.MacroAveragePrecision.Metric.SkippedTasks)}.").AppendLine();
        if (run.ConstantOutputs.Count > 0)
            sb.AppendLine($"Predicted constant (one class in the training subsample): {string.Join(", ", run.ConstantOutputs)}.").AppendLine();
    }

    private static string Selection(string protocol) => protocol switch
    {
        "linear-probe" => "L2 strength chosen on the validation split only",
        "finetune" => "Early stopping on the validation loss only",
        "zero-shot" => "Zero-shot: nothing fitted or selected",
        _ => "Nothing fitted or selected",
    };

    private static string MeanSd(SeedSummary s, int digits = 3) =>
        s.Count <= 1 ? Format.Fixed(s.Mean, digits) + " (1 run)" : $"{Format.Fixed(s.Mean, digits)} ± {Format.Fixed(s.StandardDeviation, digits)} ({s.Count} seeds)";
}
