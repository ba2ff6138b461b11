namespace EcgClip.Eval.Protocols;

/// <summary>The JSON shape of the reproduction (results.json and the CLI's <c>--json</c> line), snake_case.</summary>
public static class ReproductionJson
{
    /// <summary>An object with <c>rows</c>, <c>comparisons</c> and <c>pretrainings</c>, ready for System.Text.Json.</summary>
    public static object Build(ReproductionOptions options, IReadOnlyList<PretrainingOutcome> pretrainings, IReadOnlyList<ReproductionRow> rows,
        IReadOnlyList<ReproductionComparison> comparisons, double wallSeconds)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new
        {
            data = options.Data,
            backbone = options.Backbone,
            epochs = options.Steps is null ? options.Epochs : (int?)null,
            steps = options.Steps,
            seeds = options.Seeds,
            bootstrap = options.Bootstrap,
            threads = options.Threads,
            wall_s = Math.Round(wallSeconds, 1),
            pretrainings = pretrainings.Select(p => new
            {
                model = p.Model, objective = p.Objective, checkpoint = p.Checkpoint, steps = p.Steps, reused = p.Reused, wall_s = Math.Round(p.WallSeconds, 1),
                loss_first = Finite(p.LossFirst), loss_last = Finite(p.LossLast), test_retrieval_r10 = Finite(p.TestRetrievalR10),
            }).ToArray(),
            rows = rows.Select(r => new
            {
                task = r.Task, model = r.Model, fraction = r.Fraction, seeds = r.Seeds,
                macro_prauc = r.MacroPrauc, macro_prauc_ci = Pair(r.MacroPraucCi), macro_auroc = r.MacroAuroc,
                macro_prauc_mean = r.MacroPraucMean, macro_prauc_sd = r.MacroPraucSd,
                mae = r.Mae, mae_ci = Pair(r.MaeCi), baseline_mae = r.BaselineMae, mae_mean = r.MaeMean, mae_sd = r.MaeSd,
            }).ToArray(),
            comparisons = comparisons.Select(c => new
            {
                task = c.Task, model_a = c.ModelA, fraction_a = c.FractionA, model_b = c.ModelB, fraction_b = c.FractionB,
                metric = c.Runs[0].Metric, verdict = ReproductionSentences.Word(c.Verdict),
                seeds = c.Runs.Select(r => new
                {
                    seed = r.Seed, a = r.Difference.A, b = r.Difference.B, difference = r.Difference.Difference,
                    difference_ci = r.Difference.Interval is { } i ? new[] { i.Lower, i.Upper } : null, p_value = r.Difference.PValue,
                    verdict = ReproductionSentences.Word(r.Verdict),
                }).ToArray(),
                sentence = ReproductionSentences.Sentence(c),
            }).ToArray(),
        };
    }

    private static double[]? Pair(ConfidenceIntervalPair? ci) => ci is null ? null : [ci.Lower, ci.Upper];

    private static double? Finite(double v) => double.IsFinite(v) ? v : null;
}
