using System.Globalization;
using System.Text;
using System.Text.Json;
using EcgClip.Eval.Reporting;

namespace EcgClip.Eval.Protocols;

/// <summary>Writes the reproduction's report.md (setup, pretrainings, verdict sentences, the seed's claims) and the
/// combined results.json / results.csv / results.md beside it.</summary>
public sealed class ReproductionReportWriter
{
    /// <summary>Writes the files under <paramref name="directory"/>.</summary>
    public ReproductionFiles Write(string directory, ReproductionOptions options, IReadOnlyList<PretrainingOutcome> pretrainings,
        IReadOnlyList<ReproductionRow> rows, IReadOnlyList<ReproductionComparison> comparisons, IReadOnlyList<string> taskFolders,
        IReadOnlyList<string> plots, double wallSeconds)
    {
        ArgumentNullException.ThrowIfNull(options);
        Directory.CreateDirectory(directory);
        var files = new ReproductionFiles(Path.Combine(directory, "report.md"), Path.Combine(directory, "results.json"),
            Path.Combine(directory, "results.csv"), Path.Combine(directory, "results.md"), taskFolders, plots);
        File.WriteAllText(files.Report, Report(options, pretrainings, rows, comparisons, wallSeconds));
        File.WriteAllText(files.Json, Json(options, pretrainings, rows, comparisons, wallSeconds));
        File.WriteAllLines(files.Csv, Csv(rows));
        File.WriteAllText(files.Markdown, "# Reproduction results (linear probe, test fold)\n\n" + RowsTable(rows));
        return files;
    }

    /// <summary>The text of report.md.</summary>
    public static string Report(ReproductionOptions options, IReadOnlyList<PretrainingOutcome> pretrainings, IReadOnlyList<ReproductionRow> rows,
        IReadOnlyList<ReproductionComparison> comparisons, double wallSeconds)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(comparisons);
        var sb = new StringBuilder();
        sb.AppendLine("# EcgClip reproduction report").AppendLine();
        string steps = options.Steps is { } s ? $"{s} steps" : $"{options.Epochs} epochs";
        sb.AppendLine($"Data `{options.Data}` (PTB-XL folds 1–8 train / 9 validation / 10 test{(options.Limit > 0 ? $", first {options.Limit} items per split" : "")}). " +
                      $"ECGCLIP (`--objective clip`) and the MERL-objective baseline (`--objective merl`) were pretrained with the same {options.Backbone} backbone, data, " +
                      $"{steps} per objective (batch {options.BatchSize}) and seed {options.Seed}; then both and random initialisation were linear-probed " +
                      $"(frozen encoder in eval mode, L2 strength chosen on validation, test fold scored once per run) at " +
                      $"{string.Join(" and ", options.Fractions.Select(Format.Percent))} of the training labels with {options.Seeds} subsampling seed(s), " +
                      $"on the same splits and seeds. Intervals: 95% paired percentile bootstrap over test patients, {options.Bootstrap} resamples. " +
                      $"Wall time {wallSeconds / 60:F1} min on {options.Threads} thread(s).").AppendLine();
        sb.AppendLine("## Pretraining").AppendLine();
        sb.AppendLine("| Model | Objective | Steps | Loss first → last | Test ECG→report R@10 | Wall | Checkpoint |");
        sb.AppendLine("|---|---|---|---|---|---|---|");
        foreach (var p in pretrainings)
            sb.AppendLine($"| {p.Model} | {p.Objective} | {p.Steps} | {Format.Fixed(p.LossFirst)} → {Format.Fixed(p.LossLast)} | {Format.Fixed(p.TestRetrievalR10)} | " +
                          $"{p.WallSeconds / 60:F1} min{(p.Reused ? " (reused)" : "")} | `{p.Checkpoint}` |");
        sb.AppendLine().AppendLine("## Verdicts").AppendLine();
        if (comparisons.Count == 0) sb.AppendLine("No comparison could be made (no bootstrap or no matching runs).");
        foreach (var c in comparisons) sb.AppendLine($"- {ReproductionSentences.Sentence(c)}");
        sb.AppendLine().AppendLine("## The seed's claims").AppendLine();
        foreach (var line in Claims(comparisons, options)) sb.AppendLine($"- {line}");
        sb.AppendLine().AppendLine("## Results").AppendLine().Append(RowsTable(rows));
        sb.AppendLine().AppendLine("Per task set: `<task>/results.md` (per-task PRAUC/AUROC with CIs, every paired comparison), the saved " +
                                   "`test_labels.npy` / `test_scores.npy` and the PNG plots.");
        return sb.ToString();
    }

    /// <summary>Whether the seed's two claims on the first classification task set hold, in plain sentences.</summary>
    public static IReadOnlyList<string> Claims(IReadOnlyList<ReproductionComparison> comparisons, ReproductionOptions options)
    {
        ArgumentNullException.ThrowIfNull(comparisons);
        ArgumentNullException.ThrowIfNull(options);
        var lines = new List<string>();
        double small = options.Fractions.Min(), full = options.Fractions.Max();
        var classification = comparisons.Where(c => c.Runs[0].Metric == "macro_prauc").ToArray();
        if (classification.Length == 0 || small == full) return ["No classification comparison between label fractions was made."];
        string task = classification[0].Task;
        var beat = classification.FirstOrDefault(c => c.Task == task && c.ModelA == ReproductionModels.EcgClip && c.ModelB == ReproductionModels.Random && c.FractionA == small && c.FractionB == small);
        if (beat is not null)
            lines.Add(beat.Verdict == ComparisonVerdict.Won
                ? $"Claim 1 holds: on {task} at {Format.Percent(small)} of the labels the ECGCLIP linear probe beat random initialisation with a paired-bootstrap interval that excludes 0."
                : $"Claim 1 does not hold here: on {task} at {Format.Percent(small)} of the labels ECGCLIP pretraining did not beat random initialisation ({ReproductionSentences.Word(beat.Verdict)}).");
        var reach = classification.FirstOrDefault(c => c.Task == task && c.ModelA == ReproductionModels.EcgClip && c.ModelB == ReproductionModels.Random && c.FractionA == small && c.FractionB == full);
        if (reach is not null)
        {
            var d = reach.Runs[0].Difference;
            string numbers = $"macro PRAUC {Format.Fixed(d.A)} vs {Format.Fixed(d.B)}, difference {Format.WithInterval(d.Difference, d.Interval)}";
            string head = $"on {task} ECGCLIP at {Format.Percent(small)} of the labels vs random initialisation at {Format.Percent(full)} ({numbers})";
            lines.Add(reach.Verdict switch
            {
                ComparisonVerdict.Won => $"Claim 2 holds: {head} — ECGCLIP was higher, with an interval that excludes 0.",
                ComparisonVerdict.Lost => $"Claim 2 does not hold here: {head} — ECGCLIP stayed below, with an interval that excludes 0.",
                _ when d.Difference >= 0 => $"Claim 2 holds: {head} — ECGCLIP was at least as high; the two could not be told apart.",
                _ => $"Claim 2 is not shown: {head} — ECGCLIP was lower in point estimate, but the two could not be told apart.",
            });
        }
        return lines;
    }

    private static string RowsTable(IReadOnlyList<ReproductionRow> rows)
    {
        var sb = new StringBuilder();
        sb.AppendLine("| Task | Model | Labels | Seeds | Macro PRAUC [95% CI] | PRAUC mean ± sd | Macro AUROC | MAE [95% CI] | Training-mean MAE |");
        sb.AppendLine("|---|---|---|---|---|---|---|---|---|");
        foreach (var r in rows)
            sb.AppendLine($"| {r.Task} | {r.Model} | {Format.Percent(r.Fraction)} | {r.Seeds} | {Ci(r.MacroPrauc, r.MacroPraucCi, 3)} | " +
                          $"{(r.MacroPraucMean is null ? "–" : $"{Format.Fixed(r.MacroPraucMean)} ± {Format.Fixed(r.MacroPraucSd)}")} | {Dash(r.MacroAuroc, 3)} | " +
                          $"{Ci(r.Mae, r.MaeCi, 2)} | {Dash(r.BaselineMae, 2)} |");
        return sb.ToString();
    }

    private static string Dash(double? v, int digits) => v is null ? "–" : Format.Fixed(v, digits);

    private static string Ci(double? v, ConfidenceIntervalPair? ci, int digits) =>
        v is null ? "–" : ci is null ? Format.Fixed(v, digits) : $"{Format.Fixed(v, digits)} [{Format.Fixed(ci.Lower, digits)}, {Format.Fixed(ci.Upper, digits)}]";

    private static IEnumerable<string> Csv(IReadOnlyList<ReproductionRow> rows)
    {
        yield return "task,model,fraction,seeds,macro_prauc,macro_prauc_lo,macro_prauc_hi,macro_auroc,macro_prauc_mean,macro_prauc_sd,mae,mae_lo,mae_hi,baseline_mae,mae_mean,mae_sd";
        foreach (var r in rows)
            yield return string.Join(',', r.Task, r.Model, Format.Number(r.Fraction), r.Seeds.ToString(CultureInfo.InvariantCulture), Format.Number(r.MacroPrauc),
                Format.Number(r.MacroPraucCi?.Lower), Format.Number(r.MacroPraucCi?.Upper), Format.Number(r.MacroAuroc), Format.Number(r.MacroPraucMean),
                Format.Number(r.MacroPraucSd), Format.Number(r.Mae), Format.Number(r.MaeCi?.Lower), Format.Number(r.MaeCi?.Upper), Format.Number(r.BaselineMae),
                Format.Number(r.MaeMean), Format.Number(r.MaeSd));
    }

    private static string Json(ReproductionOptions options, IReadOnlyList<PretrainingOutcome> pretrainings, IReadOnlyList<ReproductionRow> rows,
        IReadOnlyList<ReproductionComparison> comparisons, double wallSeconds) =>
        JsonSerializer.Serialize(ReproductionJson.Build(options, pretrainings, rows, comparisons, wallSeconds), new JsonSerializerOptions { WriteIndented = true });
}
