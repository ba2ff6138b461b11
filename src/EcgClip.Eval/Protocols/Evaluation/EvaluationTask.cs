using EcgClip.Core.Abstractions;
using EcgClip.Signal.Datasets;

namespace EcgClip.Eval.Protocols;

/// <summary>
/// A task set to evaluate on one dataset: how its targets come from the items. The label sets (PTB-XL superdiagnostic,
/// …, or all labels of a CinC/manifest source) are multi-label over the dataset's label space; one label column is a
/// binary task; a continuous target (age in years, a manifest column such as LVEF in %) is a regression; "sex" is the
/// binary target female (PTB-XL sex = 1).
/// </summary>
/// <param name="Name">Task-set name in reports (e.g. "superdiagnostic", "age").</param>
/// <param name="Kind">Task kind.</param>
/// <param name="Source">The label column or target name for single-output tasks; null for a whole label space.</param>
public sealed record EvaluationTask(string Name, TaskKind Kind, string? Source)
{
    /// <summary>The probe split of <paramref name="items"/> (one partition) with <paramref name="embeddings"/> (one row per item);
    /// items without a finite value of a continuous target are left out with their rows.</summary>
    public ProbeSplit Build(FeatureMatrix embeddings, IReadOnlyList<EcgTextItem> items, LabelSpace labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        return (Kind, Source) switch
        {
            (TaskKind.Regression, { } target) => ProbeSplits.Regression(embeddings, items, target),
            (TaskKind.Binary, "sex") => ProbeSplits.Threshold(embeddings, items, "sex", "female", v => v == 1),
            (TaskKind.Binary, { } label) => ProbeSplits.Classification(embeddings, items, new LabelSpace([label])),
            _ => ProbeSplits.Classification(embeddings, items, labels),
        };
    }
}
