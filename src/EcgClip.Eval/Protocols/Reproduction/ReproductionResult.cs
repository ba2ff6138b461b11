using EcgClip.Eval.Reporting;

namespace EcgClip.Eval.Protocols;

/// <summary>One pretraining of the reproduction.</summary>
/// <param name="Objective">"clip" or "merl".</param>
/// <param name="Model">Report name: "ecgclip" or "merl".</param>
/// <param name="Checkpoint">The checkpoint folder the probes load (the validation-selected one when there is one).</param>
/// <param name="Steps">Optimisation steps.</param>
/// <param name="Reused">Whether a completed pretraining in the output folder was reused instead of run.</param>
/// <param name="WallSeconds">Wall time of the pretraining (of the original run when reused).</param>
/// <param name="LossFirst">First-step loss.</param>
/// <param name="LossLast">Loss of the last steps.</param>
/// <param name="TestRetrievalR10">Test ECG→report R@10 over the unique texts; NaN when not computed.</param>
public sealed record PretrainingOutcome(string Objective, string Model, string Checkpoint, int Steps, bool Reused, double WallSeconds,
    double LossFirst, double LossLast, double TestRetrievalR10);

/// <summary>One row of the reproduction: a task set, model and label fraction.</summary>
/// <param name="Task">Task set.</param>
/// <param name="Model">"ecgclip", "merl" or "random".</param>
/// <param name="Fraction">Label fraction.</param>
/// <param name="Seeds">Runs (subsampling seeds) at this fraction.</param>
/// <param name="MacroPrauc">Macro PRAUC of the first seed (classification), else null.</param>
/// <param name="MacroPraucCi">Its bootstrap interval, or null.</param>
/// <param name="MacroAuroc">Macro AUROC of the first seed (classification), else null.</param>
/// <param name="MacroPraucMean">Macro PRAUC mean over seeds.</param>
/// <param name="MacroPraucSd">Macro PRAUC sample sd over seeds.</param>
/// <param name="Mae">MAE of the first seed (regression), else null.</param>
/// <param name="MaeCi">Its bootstrap interval, or null.</param>
/// <param name="BaselineMae">MAE of predicting the training mean on the same test rows (regression), else null.</param>
/// <param name="MaeMean">MAE mean over seeds.</param>
/// <param name="MaeSd">MAE sample sd over seeds.</param>
public sealed record ReproductionRow(string Task, string Model, double Fraction, int Seeds,
    double? MacroPrauc, ConfidenceIntervalPair? MacroPraucCi, double? MacroAuroc, double? MacroPraucMean, double? MacroPraucSd,
    double? Mae, ConfidenceIntervalPair? MaeCi, double? BaselineMae, double? MaeMean, double? MaeSd);

/// <summary>A confidence interval as plain numbers.</summary>
/// <param name="Lower">Lower bound.</param>
/// <param name="Upper">Upper bound.</param>
public sealed record ConfidenceIntervalPair(double Lower, double Upper);

/// <summary>One stated comparison (e.g. ECGCLIP vs random initialisation at 10% on superdiagnostic) over all its seeds.</summary>
/// <param name="Task">Task set.</param>
/// <param name="ModelA">Model A (the pretraining asked about).</param>
/// <param name="FractionA">A's label fraction.</param>
/// <param name="ModelB">Model B.</param>
/// <param name="FractionB">B's label fraction.</param>
/// <param name="Runs">The paired comparison of each seed.</param>
/// <param name="Verdict">Won when every seed's interval of A − B excludes 0 in A's favour, lost when every one excludes it
/// in B's favour, else indistinguishable.</param>
public sealed record ReproductionComparison(string Task, string ModelA, double FractionA, string ModelB, double FractionB,
    IReadOnlyList<RunComparison> Runs, ComparisonVerdict Verdict);

/// <summary>Files written by the reproduction.</summary>
/// <param name="Report">report.md: the verdict sentences.</param>
/// <param name="Json">results.json: rows, comparisons, pretrainings.</param>
/// <param name="Csv">results.csv: the rows.</param>
/// <param name="Markdown">results.md: the rows as a table.</param>
/// <param name="TaskFolders">Per task set, the evaluation folder (its own results files, score files and PNGs).</param>
/// <param name="Plots">All PNGs.</param>
public sealed record ReproductionFiles(string Report, string Json, string Csv, string Markdown, IReadOnlyList<string> TaskFolders, IReadOnlyList<string> Plots);

/// <summary>What <see cref="ReproductionRunner.Run"/> produced.</summary>
/// <param name="Options">The settings.</param>
/// <param name="Pretrainings">ECGCLIP and MERL pretrainings.</param>
/// <param name="Rows">Per task set, model and fraction.</param>
/// <param name="Comparisons">The stated comparisons.</param>
/// <param name="Files">The files written.</param>
/// <param name="WallSeconds">Wall time of the whole reproduction.</param>
public sealed record ReproductionResult(ReproductionOptions Options, IReadOnlyList<PretrainingOutcome> Pretrainings, IReadOnlyList<ReproductionRow> Rows,
    IReadOnlyList<ReproductionComparison> Comparisons, ReproductionFiles Files, double WallSeconds);

/// <summary>Progress of the reproduction: a stage ("pretrain ecgclip", "superdiagnostic: linear probe", …) and how far it got.</summary>
/// <param name="Stage">Stage name.</param>
/// <param name="Done">Units done.</param>
/// <param name="Total">Units in all.</param>
/// <param name="Detail">Optional detail (loss, ECG/s).</param>
public sealed record ReproductionProgress(string Stage, int Done, int Total, string? Detail = null);
