using System.Text;

namespace EcgClip.Eval.Reporting;

/// <summary>
/// Writes <c>results.csv</c>: one row per model, fraction, seed and output, plus a "macro" row per run for
/// classification. Columns: model, fraction, seed, task, kind, positives, prevalence, prauc, prauc_lo, prauc_hi,
/// auroc, auroc_lo, auroc_hi, mae, mae_lo, mae_hi, rmse, r2, pearson, baseline_mae, baseline_mae_lo, baseline_mae_hi.
/// Empty cells are undefined values; numbers are invariant round-trip text.
/// </summary>
internal static class CsvResultsWriter
{
    public const string Header = "model,fraction,seed,task,kind,positives,prevalence,prauc,prauc_lo,prauc_hi,auroc,auroc_lo,auroc_hi," +
                                 "mae,mae_lo,mae_hi,rmse,r2,pearson,baseline_mae,baseline_mae_lo,baseline_mae_hi";

    public static void Write(string path, EvaluationReport report)
    {
        var sb = new StringBuilder().AppendLine(Header);
        foreach (var m in report.Models)
        {
            string kind = m.Kind.ToString().ToLowerInvariant();
            foreach (var r in m.Runs)
            {
                string prefix = $"{Cell(m.Model)},{Format.Number(r.Fraction)},{r.Seed}";
                if (r.Ranking is { } rank)
                {
                    foreach (var t in rank.Tasks)
                    {
                        var x = t.Metrics;
                        sb.AppendLine(string.Join(',', prefix, Cell(x.Name), kind, x.PositiveCount.ToString(System.Globalization.CultureInfo.InvariantCulture),
                            Format.Number(x.PositiveCount / (double)(x.PositiveCount + x.NegativeCount)),
                            Format.Number(x.HasPositives ? x.AveragePrecision : null), Format.Number(t.AveragePrecisionInterval?.Lower), Format.Number(t.AveragePrecisionInterval?.Upper),
                            Format.Number(x.AreaUnderRoc), Format.Number(t.AreaUnderRocInterval?.Lower), Format.Number(t.AreaUnderRocInterval?.Upper),
                            "", "", "", "", "", "", "", "", ""));
                    }
                    var ap = rank.MacroAveragePrecision;
                    var auc = rank.MacroAreaUnderRoc;
                    sb.AppendLine(string.Join(',', prefix, "macro", kind, "", "",
                        Format.Number(ap.Metric.Value), Format.Number(ap.Interval?.Lower), Format.Number(ap.Interval?.Upper),
                        Format.Number(auc.Metric.Value), Format.Number(auc.Interval?.Lower), Format.Number(auc.Interval?.Upper),
                        "", "", "", "", "", "", "", "", ""));
                }
                if (r.Regression is { } reg)
                {
                    foreach (var t in reg.Targets)
                    {
                        sb.AppendLine(string.Join(',', prefix, Cell(t.Name), kind, "", "", "", "", "", "", "", "",
                            Format.Number(t.Metrics.MeanAbsoluteError), Format.Number(t.MeanAbsoluteErrorInterval?.Lower), Format.Number(t.MeanAbsoluteErrorInterval?.Upper),
                            Format.Number(t.Metrics.RootMeanSquaredError), Format.Number(t.Metrics.RSquared), Format.Number(t.Metrics.Pearson),
                            Format.Number(t.Baseline.MeanAbsoluteError), Format.Number(t.BaselineMeanAbsoluteErrorInterval?.Lower), Format.Number(t.BaselineMeanAbsoluteErrorInterval?.Upper)));
                    }
                }
            }
        }
        File.WriteAllText(path, sb.ToString());
    }

    /// <summary>RFC 4180 quoting when needed.</summary>
    internal static string Cell(string s) =>
        s.IndexOfAny([',', '"', '\n', '\r']) < 0 ? s : "\"" + s.Replace("\"", "\"\"") + "\"";
}
