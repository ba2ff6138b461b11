using EcgClip.Core.Abstractions;
using EcgClip.Signal.Datasets;

namespace EcgClip.Eval.Protocols;

/// <summary>Resolves a <c>--task</c> name against a dataset.</summary>
public static class EvaluationTasks
{
    /// <summary>The label-set names (multi-label tasks).</summary>
    public static IReadOnlyList<string> LabelSets { get; } = ["superdiagnostic", "subdiagnostic", "form", "rhythm", "all"];

    /// <summary>The PTB-XL label set to open the dataset with for <paramref name="task"/> (superdiagnostic for
    /// targets and columns, whose labels are not used).</summary>
    public static PtbXlLabelSet LabelSetFor(string task) => task.Trim().ToLowerInvariant() switch
    {
        "subdiagnostic" => PtbXlLabelSet.Subdiagnostic,
        "form" => PtbXlLabelSet.Form,
        "rhythm" => PtbXlLabelSet.Rhythm,
        "all" => PtbXlLabelSet.All,
        _ => PtbXlLabelSet.Superdiagnostic,
    };

    /// <summary>Resolves <paramref name="task"/> on <paramref name="dataset"/>.</summary>
    /// <exception cref="ArgumentException">An unknown task; the message lists what the dataset offers.</exception>
    public static EvaluationTask Resolve(string task, IEcgTextDataset dataset)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(task);
        ArgumentNullException.ThrowIfNull(dataset);
        string t = task.Trim();
        string lower = t.ToLowerInvariant();
        if (LabelSets.Contains(lower))
        {
            if (dataset.LabelSpace.Count == 0) throw new ArgumentException($"--task {t}: {dataset.Name} has no labels");
            return new EvaluationTask(lower, dataset.LabelSpace.Count == 1 ? TaskKind.Binary : TaskKind.Multilabel, null);
        }
        var targets = TargetNames(dataset);
        if (lower == "sex" && targets.Contains("sex")) return new EvaluationTask("sex", TaskKind.Binary, "sex");
        if (targets.Contains(t)) return new EvaluationTask(t, TaskKind.Regression, t);
        if (dataset.LabelSpace.Contains(t)) return new EvaluationTask(t, TaskKind.Binary, t);
        throw new ArgumentException($"--task '{t}' is not known for {dataset.Name}; use {string.Join(", ", LabelSets)}" +
            (targets.Count > 0 ? $", a target ({string.Join(", ", targets)})" : "") +
            (dataset.LabelSpace.Count > 0 ? $" or a label column ({string.Join(", ", dataset.LabelSpace.Names.Take(20))}{(dataset.LabelSpace.Count > 20 ? ", …" : "")})" : ""));
    }

    private static IReadOnlyList<string> TargetNames(IEcgTextDataset dataset)
    {
        if (dataset is ManifestDataset m) return m.TargetNames;
        var names = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var item in dataset.Items.Take(200))
            foreach (var k in item.Targets.Keys) names.Add(k);
        return names.ToArray();
    }
}
