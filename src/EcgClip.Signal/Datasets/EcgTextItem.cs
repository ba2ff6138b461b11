using EcgClip.Signal.Records;

namespace EcgClip.Signal.Datasets;

/// <summary>The partition an item belongs to.</summary>
public enum DatasetSplit
{
    /// <summary>Training data.</summary>
    Train = 0,
    /// <summary>Validation (model selection) data.</summary>
    Validation = 1,
    /// <summary>Held-out test data.</summary>
    Test = 2,
}

/// <summary>Parsing and printing of <see cref="DatasetSplit"/> names ("train", "val"/"validation", "test").</summary>
public static class DatasetSplits
{
    /// <summary>The lower-case name used in files: "train", "val" or "test".</summary>
    public static string ToName(DatasetSplit split) => split switch
    {
        DatasetSplit.Train => "train",
        DatasetSplit.Validation => "val",
        DatasetSplit.Test => "test",
        _ => throw new ArgumentOutOfRangeException(nameof(split), split, null),
    };

    /// <summary>Parses "train", "val", "valid", "validation", "dev", "test" (case-insensitive, trimmed).</summary>
    public static bool TryParse(string? text, out DatasetSplit split)
    {
        split = DatasetSplit.Train;
        switch (text?.Trim().ToLowerInvariant())
        {
            case "train": case "training": split = DatasetSplit.Train; return true;
            case "val": case "valid": case "validation": case "dev": split = DatasetSplit.Validation; return true;
            case "test": case "testing": split = DatasetSplit.Test; return true;
            default: return false;
        }
    }
}

/// <summary>
/// One ECG–text pair of a dataset, cheap to enumerate: identifiers, the report, labels and split, but not the
/// signal, which <see cref="IEcgTextDataset.LoadRecord"/> reads on demand.
/// </summary>
/// <param name="Id">Record identifier, unique within the dataset (PTB-XL: the ecg_id; CinC: the record name).</param>
/// <param name="RecordPath">Path of the record (WFDB record path without extension, a .hea, a .mat, ...).</param>
/// <param name="Report">Free-text report; empty when the source has none.</param>
/// <param name="Labels">Label names present, each a member of the dataset's <see cref="LabelSpace"/>, in label-space order.</param>
/// <param name="PatientId">Patient identifier; records of one patient always share a split.</param>
/// <param name="Split">The partition the item belongs to.</param>
public sealed record EcgTextItem(string Id, string RecordPath, string Report, IReadOnlyList<string> Labels, string PatientId, DatasetSplit Split)
{
    /// <summary>Continuous targets by name (e.g. "lvef" in percent); empty when the source has none. NaN marks a missing value.</summary>
    public IReadOnlyDictionary<string, double> Targets { get; init; } = EmptyTargets;

    /// <summary>The source's own fold number where it has one (PTB-XL strat_fold 1–10), else null.</summary>
    public int? Fold { get; init; }

    internal static readonly IReadOnlyDictionary<string, double> EmptyTargets = new Dictionary<string, double>();
}

/// <summary>A source record left out of a dataset or shard build, with the reason. Good records are never dropped for another's fault.</summary>
/// <param name="Id">The record identifier (or the row number where none could be read).</param>
/// <param name="Path">The file or record path concerned.</param>
/// <param name="Reason">Why it was skipped (e.g. "file not found", the reader's message).</param>
public sealed record SkippedRecord(string Id, string Path, string Reason);

/// <summary>
/// A dataset of ECG–text pairs. <see cref="Items"/> enumerates cheaply (no signal IO); <see cref="LoadRecord"/> reads
/// one record lazily and returns it with the 12 standard leads in canonical order (I, II, III, aVR, aVL, aVF, V1–V6).
/// Implementations are immutable after construction and safe to read from several threads.
/// </summary>
public interface IEcgTextDataset
{
    /// <summary>Short name of the source, e.g. "ptbxl-100hz-superdiagnostic".</summary>
    string Name { get; }

    /// <summary>The ordered label names; <see cref="EcgTextItem.Labels"/> are members of it.</summary>
    LabelSpace LabelSpace { get; }

    /// <summary>All usable items in source order.</summary>
    IReadOnlyList<EcgTextItem> Items { get; }

    /// <summary>Source rows left out while building the dataset (e.g. files absent), with reasons.</summary>
    IReadOnlyList<SkippedRecord> Skipped { get; }

    /// <summary>Nominal sampling rate of the records in Hz, or null when they differ.</summary>
    double? SamplingRate { get; }

    /// <summary>
    /// Reads the signal of <paramref name="item"/>, channels reordered to the canonical 12 leads.
    /// Throws <see cref="EcgFormatException"/> (or an IO exception) for a bad or missing file, or when a standard lead is absent.
    /// </summary>
    EcgRecord LoadRecord(EcgTextItem item);
}

/// <summary>Convenience queries over any <see cref="IEcgTextDataset"/>.</summary>
public static class EcgTextDatasetExtensions
{
    /// <summary>The items of one split, in source order.</summary>
    public static IReadOnlyList<EcgTextItem> ItemsIn(this IEcgTextDataset dataset, DatasetSplit split)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        var list = new List<EcgTextItem>();
        foreach (var item in dataset.Items) if (item.Split == split) list.Add(item);
        return list;
    }

    /// <summary>The multi-hot label matrix of <paramref name="items"/> over the dataset's label space.</summary>
    public static MultiHotMatrix LabelMatrix(this IEcgTextDataset dataset, IReadOnlyList<EcgTextItem> items)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        return dataset.LabelSpace.Encode(items);
    }
}
