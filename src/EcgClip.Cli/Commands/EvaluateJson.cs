using EcgClip.Eval.Bootstrap;
using EcgClip.Eval.Protocols;
using EcgClip.Eval.Reporting;

namespace EcgClip.Cli.Commands;

/// <summary>The one JSON line of <c>ecgclip evaluate --json</c>.</summary>
internal static class EvaluateJson
{
    public static object Build(EvaluationResult result, string data, string checkpoint, string backbone, string outDir, double seconds)
    {
        var runs = (result.Report?.Models ?? []).SelectMany(m => m.Runs.Select(r => Run(m.Model, r))).ToList();
        var headline = result.Report?.Models[0].Fractions[^1].Runs[0];
        var ranking = headline?.Ranking;
        return new
        {
            protocol = EvaluationProtocols.ToName(result.Protocol),
            task = result.Task.Name,
            kind = result.Task.Kind.ToString().ToLowerInvariant(),
            model = result.Model,
            checkpoint,
            backbone,
            data,
            out_dir = outDir,
            train_items = result.SplitRows.Train,
            validation_items = result.SplitRows.Validation,
            test_items = result.SplitRows.Test,
            seconds,
            embedding_seconds = result.EmbeddingSeconds,
            fraction = headline?.Fraction,
            macro_prauc = ranking?.MacroAveragePrecision.Metric.Value,
            macro_prauc_ci = Pair(ranking?.MacroAveragePrecision.Interval),
            macro_auroc = ranking?.MacroAreaUnderRoc.Metric.Value,
            macro_auroc_ci = Pair(ranking?.MacroAreaUnderRoc.Interval),
            tasks = ranking?.Tasks.Select(Task).ToArray(),
            targets = headline?.Regression?.Targets.Select(Target).ToArray(),
            summaries = (result.Report?.Models ?? []).SelectMany(m => m.Fractions.Select(f => new
            {
                model = m.Model,
                fraction = f.Fraction,
                seeds = f.Runs.Count,
                macro_prauc_mean = Finite(f.MacroAveragePrecision?.Mean),
                macro_prauc_sd = Finite(f.MacroAveragePrecision?.StandardDeviation),
                macro_auroc_mean = Finite(f.MacroAreaUnderRoc?.Mean),
                mae_mean = f.MeanAbsoluteError.Select(s => Finite(s.Mean)).ToArray(),
                mae_sd = f.MeanAbsoluteError.Select(s => Finite(s.StandardDeviation)).ToArray(),
            })).ToArray(),
            runs,
            comparisons = (result.Report?.Comparisons ?? []).Select(c => new
            {
                model_a = c.ModelA,
                fraction_a = c.FractionA,
                model_b = c.ModelB,
                fraction_b = c.FractionB,
                seed = c.Seed,
                metric = c.Metric,
                a = c.Difference.A,
                b = c.Difference.B,
                difference = c.Difference.Difference,
                difference_ci = Pair(c.Difference.Interval),
                p_value = c.Difference.PValue,
                verdict = c.Verdict.ToString().ToLowerInvariant(),
            }).ToArray(),
            retrieval = result.Retrieval is { } rr ? new { ecg_to_text = Direction(rr.EcgToText), text_to_ecg = Direction(rr.TextToEcg) } : null,
            files = new { json = result.Files.Json, csv = result.Files.Csv, md = result.Files.Markdown, score_folders = result.Files.ScoreFolders },
            plots = result.Plots,
        };
    }

    private static object Run(string model, ProbeRun r) => new
    {
        model,
        fraction = r.Fraction,
        seed = r.Seed,
        training_rows = r.TrainingRows,
        strength_name = r.StrengthName,
        selected_strength = r.SelectedStrength,
        folder = EvaluationReport.RunFolder(model, r),
        macro_prauc = r.Ranking?.MacroAveragePrecision.Metric.Value,
        macro_prauc_ci = Pair(r.Ranking?.MacroAveragePrecision.Interval),
        macro_auroc = r.Ranking?.MacroAreaUnderRoc.Metric.Value,
        tasks = r.Ranking?.Tasks.Select(Task).ToArray(),
        targets = r.Regression?.Targets.Select(Target).ToArray(),
    };

    private static object Task(EcgClip.Eval.Metrics.TaskEstimate t) => new
    {
        name = t.Metrics.Name,
        positives = t.Metrics.PositiveCount,
        prevalence = t.Metrics.PositiveCount / (double)Math.Max(1, t.Metrics.PositiveCount + t.Metrics.NegativeCount),
        prauc = t.Metrics.HasPositives ? (double?)t.Metrics.AveragePrecision : null,
        prauc_ci = Pair(t.AveragePrecisionInterval),
        auroc = t.Metrics.AreaUnderRoc,
        auroc_ci = Pair(t.AreaUnderRocInterval),
    };

    private static object Target(RegressionTargetEstimate t) => new
    {
        name = t.Name,
        mae = t.Metrics.MeanAbsoluteError,
        mae_ci = Pair(t.MeanAbsoluteErrorInterval),
        rmse = Finite(t.Metrics.RootMeanSquaredError),
        r2 = Finite(t.Metrics.RSquared),
        pearson = Finite(t.Metrics.Pearson),
        training_mean = t.TrainingMean,
        baseline_mae = t.Baseline.MeanAbsoluteError,
        baseline_mae_ci = Pair(t.BaselineMeanAbsoluteErrorInterval),
    };

    private static object Direction(RetrievalScores s) => new
    {
        queries = s.Queries,
        candidates = s.Candidates,
        median_rank = s.MedianRank,
        mean_rank = s.MeanRank,
        recall = s.Recall.Select(k => new { k = k.K, recall = k.Recall, chance = k.Chance }).ToArray(),
    };

    private static double[]? Pair(ConfidenceInterval? ci) => ci is { } c ? [c.Lower, c.Upper] : null;

    private static double? Finite(double? v) => v is { } d && double.IsFinite(d) ? d : null;
}
