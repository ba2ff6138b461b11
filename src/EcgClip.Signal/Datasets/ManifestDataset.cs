using System.Globalization;
using EcgClip.Signal.Records;

namespace EcgClip.Signal.Datasets;

/// <summary>Options of <see cref="ManifestDataset.Load"/>.</summary>
public sealed record ManifestOptions
{
    /// <summary>Binary label columns (values 0/1, true/false, empty = 0). Null infers them: every other column whose non-empty values are all 0/1/true/false.</summary>
    public IReadOnlyList<string>? LabelColumns { get; init; }
    /// <summary>Continuous target columns (e.g. "lvef" in %; empty or non-numeric = NaN). Null infers them: every other column whose non-empty values are all numeric and not all 0/1.</summary>
    public IReadOnlyList<string>? TargetColumns { get; init; }
    /// <summary>Seed of the patient-level split hash used for rows without a split (default 0).</summary>
    public int Seed { get; init; }
    /// <summary>Fraction of patients in train for hashed splits (default 0.8).</summary>
    public double TrainFraction { get; init; } = 0.8;
    /// <summary>Fraction of patients in validation for hashed splits (default 0.1); the rest is test.</summary>
    public double ValidationFraction { get; init; } = 0.1;
    /// <summary>The reader of records; null uses <see cref="EcgRecordLoaders.Default"/>.</summary>
    public IEcgRecordLoader? Loader { get; init; }
}

/// <summary>
/// A user dataset described by a CSV manifest. Columns: <c>path</c> (required; a record path — WFDB header, record
/// path without extension, or any path the loader accepts — relative to the CSV's folder or absolute), <c>report</c>
/// (optional free text), <c>id</c> (optional; default: the path's file name without extension), <c>patient_id</c>
/// (optional; default: the id, i.e. each record its own patient), <c>split</c> (optional: train/val/test; empty cells
/// are assigned per patient by <see cref="SplitAssigner"/>), and any number of binary label and continuous target
/// columns (see <see cref="ManifestOptions"/>). Every patient ends up in exactly one split: given splits that put a
/// patient in two splits are rejected, and hashed rows follow any split given for the same patient.
/// </summary>
public sealed class ManifestDataset : IEcgTextDataset
{
    private static readonly HashSet<string> Reserved = new(StringComparer.OrdinalIgnoreCase) { "path", "report", "id", "patient_id", "split" };
    private readonly IEcgRecordLoader _loader;

    private ManifestDataset(string path, LabelSpace labels, IReadOnlyList<string> targets, List<EcgTextItem> items, List<SkippedRecord> skipped, IEcgRecordLoader loader)
    {
        ManifestPath = path;
        LabelSpace = labels;
        TargetNames = targets;
        Items = items;
        Skipped = skipped;
        _loader = loader;
    }

    /// <summary>The CSV file.</summary>
    public string ManifestPath { get; }
    /// <summary>The continuous target columns, in column order.</summary>
    public IReadOnlyList<string> TargetNames { get; }
    /// <inheritdoc />
    public string Name => "manifest-" + Path.GetFileNameWithoutExtension(ManifestPath);
    /// <inheritdoc />
    public LabelSpace LabelSpace { get; }
    /// <inheritdoc />
    public IReadOnlyList<EcgTextItem> Items { get; }
    /// <inheritdoc />
    public IReadOnlyList<SkippedRecord> Skipped { get; }
    /// <inheritdoc />
    public double? SamplingRate => null;

    /// <summary>Reads the manifest; rows whose record file is absent are skipped with the reason.</summary>
    /// <exception cref="EcgFormatException">The CSV is malformed, a named column is missing, a split name is invalid or a patient has two splits.</exception>
    public static ManifestDataset Load(string csvPath, ManifestOptions? options = null)
    {
        options ??= new ManifestOptions();
        var t = CsvTable.Load(csvPath);
        string baseDir = Path.GetDirectoryName(Path.GetFullPath(csvPath)) ?? ".";
        int cPath = t.Require("path"), cReport = t.IndexOf("report"), cId = t.IndexOf("id"), cPatient = t.IndexOf("patient_id"), cSplit = t.IndexOf("split");
        var others = t.Header.Where(h => !Reserved.Contains(h)).ToList();
        var labelCols = options.LabelColumns?.ToList() ?? others.Where(c => t.Rows.All(r => IsBinary(r[t.IndexOf(c)]))).ToList();
        var targetCols = options.TargetColumns?.ToList() ?? others.Where(c => !labelCols.Contains(c) && t.Rows.All(r => IsNumberOrEmpty(r[t.IndexOf(c)]))).ToList();
        foreach (var c in labelCols.Concat(targetCols)) t.Require(c);

        // Given splits per patient, to keep patients whole.
        var given = new Dictionary<string, DatasetSplit>(StringComparer.Ordinal);
        var rows = new List<(string Id, string Path, string Patient, DatasetSplit? Split, string[] Row)>();
        for (int r = 0; r < t.Rows.Count; r++)
        {
            var row = t.Rows[r];
            string rel = row[cPath].Trim();
            string id = cId >= 0 && row[cId].Trim().Length > 0 ? row[cId].Trim() : (rel.Length > 0 ? Path.GetFileNameWithoutExtension(rel) : $"row{r + 2}");
            string patient = cPatient >= 0 && row[cPatient].Trim().Length > 0 ? row[cPatient].Trim() : id;
            DatasetSplit? split = null;
            if (cSplit >= 0 && row[cSplit].Trim().Length > 0)
            {
                if (!DatasetSplits.TryParse(row[cSplit], out var s)) throw new EcgFormatException(csvPath, $"row {r + 2}: unknown split '{row[cSplit]}' (use train, val or test)");
                if (given.TryGetValue(patient, out var prev) && prev != s)
                    throw new EcgFormatException(csvPath, $"row {r + 2}: patient '{patient}' is in both {DatasetSplits.ToName(prev)} and {DatasetSplits.ToName(s)}");
                given[patient] = s;
                split = s;
            }
            rows.Add((id, rel.Length == 0 ? "" : Path.GetFullPath(Path.Combine(baseDir, rel)), patient, split, row));
        }

        var splitter = new SplitAssigner(options.Seed, options.TrainFraction, options.ValidationFraction, 1 - options.TrainFraction - options.ValidationFraction);
        var labelSpace = new LabelSpace(labelCols);
        var labelIdx = labelCols.Select(t.IndexOf).ToArray();
        var targetIdx = targetCols.Select(t.IndexOf).ToArray();
        var items = new List<EcgTextItem>();
        var skipped = new List<SkippedRecord>();
        foreach (var (id, path, patient, split, row) in rows)
        {
            if (path.Length == 0) { skipped.Add(new SkippedRecord(id, path, "empty path")); continue; }
            if (!File.Exists(path) && !File.Exists(path + ".hea")) { skipped.Add(new SkippedRecord(id, path, $"file not found: {path}")); continue; }
            var labels = new List<string>();
            for (int k = 0; k < labelIdx.Length; k++) if (IsTrue(row[labelIdx[k]])) labels.Add(labelCols[k]);
            IReadOnlyDictionary<string, double> targets = EcgTextItem.EmptyTargets;
            if (targetIdx.Length > 0)
            {
                var d = new Dictionary<string, double>(StringComparer.Ordinal);
                for (int k = 0; k < targetIdx.Length; k++)
                    d[targetCols[k]] = double.TryParse(row[targetIdx[k]], NumberStyles.Float, CultureInfo.InvariantCulture, out double v) ? v : double.NaN;
                targets = d;
            }
            var s = split ?? (given.TryGetValue(patient, out var g) ? g : splitter.Assign(patient));
            items.Add(new EcgTextItem(id, path, cReport >= 0 ? row[cReport].Trim() : "", labels, patient, s) { Targets = targets });
        }
        return new ManifestDataset(csvPath, labelSpace, targetCols, items, skipped, options.Loader ?? EcgRecordLoaders.Default);
    }

    private static bool IsBinary(string s) => s.Trim() is "" or "0" or "1" or "0.0" or "1.0" || bool.TryParse(s.Trim(), out _);

    private static bool IsTrue(string s) => s.Trim() is "1" or "1.0" || (bool.TryParse(s.Trim(), out bool b) && b);

    private static bool IsNumberOrEmpty(string s) =>
        s.Trim().Length == 0 || double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out _);

    /// <inheritdoc />
    public EcgRecord LoadRecord(EcgTextItem item)
    {
        ArgumentNullException.ThrowIfNull(item);
        return CanonicalLeads.Reorder(_loader.Load(item.RecordPath));
    }
}
