using EcgClip.Signal.Datasets;

namespace EcgClip.Eval.Protocols;

/// <summary>
/// Builds <see cref="ProbeSplit"/>s from dataset items and their cached embeddings. The split tag is taken from the
/// items themselves (all must share it), so a test item can never be tagged as validation data.
/// </summary>
public static class ProbeSplits
{
    /// <summary>Multi-label (or, with one label, binary) targets from the items' labels over <paramref name="labels"/>.</summary>
    /// <param name="embeddings">One embedding row per item, in item order.</param>
    /// <param name="items">The items of one split.</param>
    /// <param name="labels">The label space (columns); e.g. the dataset's <see cref="IEcgTextDataset.LabelSpace"/>.</param>
    /// <exception cref="ArgumentException">Items of several splits, no item, or a row count that differs.</exception>
    public static ProbeSplit Classification(FeatureMatrix embeddings, IReadOnlyList<EcgTextItem> items, LabelSpace labels)
    {
        ArgumentNullException.ThrowIfNull(embeddings);
        ArgumentNullException.ThrowIfNull(labels);
        var split = SplitOf(items);
        var matrix = labels.Encode(items);
        return new ProbeSplit(split, embeddings, ProbeTargets.Multilabel(matrix.Data, labels.Names), PatientIds(items));
    }

    /// <summary>Regression targets from <see cref="EcgTextItem.Targets"/>[<paramref name="target"/>] (e.g. "age" in years);
    /// items without a finite value are left out (with their embedding rows).</summary>
    /// <exception cref="ArgumentException">Items of several splits, a row count that differs, or no item with the target.</exception>
    public static ProbeSplit Regression(FeatureMatrix embeddings, IReadOnlyList<EcgTextItem> items, string target)
    {
        var (split, kept, values) = Kept(embeddings, items, target);
        return new ProbeSplit(split, embeddings.SelectRows(kept), ProbeTargets.Regression(values, [target]), PatientIds(kept.Select(i => items[i]).ToArray()));
    }

    /// <summary>A binary task derived from a continuous target (e.g. LVEF &lt; 40 %); items without a finite value are left out.</summary>
    /// <param name="embeddings">One embedding row per item.</param>
    /// <param name="items">The items of one split.</param>
    /// <param name="target">Target name in <see cref="EcgTextItem.Targets"/>.</param>
    /// <param name="name">Name of the derived task.</param>
    /// <param name="isPositive">The rule on the target value (its units).</param>
    public static ProbeSplit Threshold(FeatureMatrix embeddings, IReadOnlyList<EcgTextItem> items, string target, string name, Func<double, bool> isPositive)
    {
        ArgumentNullException.ThrowIfNull(isPositive);
        var (split, kept, values) = Kept(embeddings, items, target);
        var labels = values.Select(isPositive).ToArray();
        return new ProbeSplit(split, embeddings.SelectRows(kept), ProbeTargets.Binary(labels, name), PatientIds(kept.Select(i => items[i]).ToArray()));
    }

    private static (DatasetSplit Split, int[] Kept, double[] Values) Kept(FeatureMatrix embeddings, IReadOnlyList<EcgTextItem> items, string target)
    {
        ArgumentNullException.ThrowIfNull(embeddings);
        ArgumentException.ThrowIfNullOrWhiteSpace(target);
        var split = SplitOf(items);
        if (embeddings.Rows != items.Count) throw new ArgumentException($"{embeddings.Rows} embedding rows for {items.Count} items");
        var kept = new List<int>();
        var values = new List<double>();
        for (int i = 0; i < items.Count; i++)
            if (items[i].Targets.TryGetValue(target, out double v) && double.IsFinite(v))
            {
                kept.Add(i);
                values.Add(v);
            }
        if (kept.Count == 0) throw new ArgumentException($"no {DatasetSplits.ToName(split)} item has a value for target '{target}'");
        return (split, kept.ToArray(), values.ToArray());
    }

    private static DatasetSplit SplitOf(IReadOnlyList<EcgTextItem> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        if (items.Count == 0) throw new ArgumentException("no items");
        var split = items[0].Split;
        foreach (var it in items)
            if (it.Split != split) throw new ArgumentException($"items of several splits ({split} and {it.Split}, item {it.Id}); pass one split at a time");
        return split;
    }

    /// <summary>Dense numeric ids per distinct patient id string (first appearance order), for the clustered bootstrap.</summary>
    private static long[] PatientIds(IReadOnlyList<EcgTextItem> items)
    {
        var index = new Dictionary<string, long>(StringComparer.Ordinal);
        var ids = new long[items.Count];
        for (int i = 0; i < ids.Length; i++)
        {
            if (!index.TryGetValue(items[i].PatientId, out long id))
            {
                id = index.Count;
                index.Add(items[i].PatientId, id);
            }
            ids[i] = id;
        }
        return ids;
    }
}
