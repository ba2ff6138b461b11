using EcgClip.Eval.Protocols;
using EcgClip.Signal.Datasets;

namespace EcgClip.Eval.Prediction;

/// <summary>How one head was fitted: its task, the L2 strength chosen on validation and the validation score there.</summary>
/// <param name="Task">The task.</param>
/// <param name="TrainingRows">Training items used.</param>
/// <param name="StrengthName">"C" (logistic) or "alpha" (ridge).</param>
/// <param name="Strength">The selected strength.</param>
/// <param name="ValidationScore">The validation score at it: macro PRAUC for classification; for regression the selection metric (MAE by default, lower is better).</param>
/// <param name="Selection">The rule that chose <paramref name="Strength"/>.</param>
/// <param name="BestStrength">The strength with the best validation score.</param>
/// <param name="BestValidationScore">That best score.</param>
/// <param name="ValidationStandardError">Its bootstrap standard error (NaN under <see cref="ProbeSelection.Best"/>).</param>
public sealed record FittedHeadSummary(string Task, int TrainingRows, string StrengthName, double Strength, double ValidationScore,
    ProbeSelection Selection, double BestStrength, double BestValidationScore, double ValidationStandardError);

/// <summary>
/// Fits task heads on a frozen encoder's embeddings: per task, a linear probe on the training split with its L2 strength
/// chosen on the validation split (the test split is never read), turned into a <see cref="TaskHeadSet"/>. Embeddings of
/// one data source are computed once and shared by its tasks.
/// </summary>
public sealed class TaskHeadTrainer(EmbeddingCache cache)
{
    /// <summary>Fits one head per task; <paramref name="openDataset"/> opens the data source with the label set a task needs.</summary>
    /// <param name="model">The frozen encoder with its preprocessing.</param>
    /// <param name="openDataset">Opens the data for a label set (tasks of different label sets need different label spaces).</param>
    /// <param name="tasks">Task names (as <c>evaluate --task</c> takes them).</param>
    /// <param name="embedding">Batch size, window and threads of the embedding pass.</param>
    /// <param name="probe">Probe options (strength grids, threads).</param>
    /// <param name="maxItemsPerSplit">Use at most this many items per split (0 = all).</param>
    /// <param name="progress">Optional: told each task as it starts.</param>
    public (TaskHeadSet Heads, IReadOnlyList<FittedHeadSummary> Summaries) Fit(EvaluationModel model, Func<PtbXlLabelSet, IEcgTextDataset> openDataset,
        IReadOnlyList<string> tasks, EmbeddingOptions embedding, LinearProbeOptions? probe = null, int maxItemsPerSplit = 0, IProgress<string>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(openDataset);
        ArgumentNullException.ThrowIfNull(tasks);
        if (tasks.Count == 0) throw new ArgumentException("name at least one task");
        var heads = new List<(TaskHeadSpec, Core.Abstractions.ITaskHead)>();
        var summaries = new List<FittedHeadSummary>();
        try
        {
            foreach (var name in tasks)
            {
                progress?.Report(name);
                var dataset = openDataset(EvaluationTasks.LabelSetFor(name));
                var task = EvaluationTasks.Resolve(name, dataset);
                var train = Take(dataset.ItemsIn(DatasetSplit.Train), maxItemsPerSplit, dataset, "train");
                var val = Take(dataset.ItemsIn(DatasetSplit.Validation), maxItemsPerSplit, dataset, "validation");
                var trainSplit = task.Build(cache.GetOrCompute(model, dataset, train, embedding), train, dataset.LabelSpace);
                var valSplit = task.Build(cache.GetOrCompute(model, dataset, val, embedding), val, dataset.LabelSpace);
                var fitted = new LinearProbe().Fit(trainSplit, valSplit, probe);
                var head = fitted.ToTaskHead();
                heads.Add((new TaskHeadSpec(task.Name, fitted.Kind, fitted.OutputNames, fitted.InputWidth), head));
                double score = fitted.ValidationCurve.First(p => p.Strength == fitted.SelectedStrength).Score;
                double bestScore = fitted.ValidationCurve.First(p => p.Strength == fitted.BestStrength).Score;
                summaries.Add(new FittedHeadSummary(task.Name, fitted.TrainingRows, fitted.StrengthName, fitted.SelectedStrength, score,
                    fitted.Selection, fitted.BestStrength, bestScore, fitted.SelectionStandardError));
            }
            return (new TaskHeadSet(heads), summaries);
        }
        catch
        {
            foreach (var (_, head) in heads) head.Dispose();
            throw;
        }
    }

    private static IReadOnlyList<EcgTextItem> Take(IReadOnlyList<EcgTextItem> items, int max, IEcgTextDataset dataset, string split)
    {
        if (items.Count == 0) throw new ArgumentException($"{dataset.Name} has no {split} items");
        return max > 0 && items.Count > max ? items.Take(max).ToList() : items;
    }
}
