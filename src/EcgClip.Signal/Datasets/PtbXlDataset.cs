using System.Globalization;
using EcgClip.Signal.Records;

namespace EcgClip.Signal.Datasets;

/// <summary>Options of <see cref="PtbXlDataset.Load"/>.</summary>
public sealed record PtbXlOptions
{
    /// <summary>100 (records100, <c>filename_lr</c>) or 500 (records500, <c>filename_hr</c>) Hz.</summary>
    public int SamplingRate { get; init; } = 100;

    /// <summary>Which benchmark label set to derive from <c>scp_codes</c>.</summary>
    public PtbXlLabelSet LabelSet { get; init; } = PtbXlLabelSet.Superdiagnostic;

    /// <summary>Minimum likelihood (0–100) of diagnostic statements; 0 (default) keeps all, as the benchmark does. Not applied to form/rhythm statements (see <see cref="ScpStatements"/>).</summary>
    public double MinLikelihood { get; init; }

    /// <summary>
    /// Null (default): the label space is every name the label set can produce from <c>scp_statements.csv</c>, so columns do
    /// not depend on which rows are present. A number n: keep only labels present in more than n usable items — the
    /// benchmark's <c>min_samples</c> (0 there).
    /// </summary>
    public int? MinLabelCount { get; init; }

    /// <summary>Leave out items with no label in the set, as the benchmark's <c>select_data</c> does. Default false (keep them for pretraining).</summary>
    public bool DropUnlabeled { get; init; }

    /// <summary>strat_fold values that form the validation split (default 9).</summary>
    public IReadOnlyCollection<int> ValidationFolds { get; init; } = [9];

    /// <summary>strat_fold values that form the test split (default 10). All other folds are train.</summary>
    public IReadOnlyCollection<int> TestFolds { get; init; } = [10];

    /// <summary>The database file name inside the root (default <c>ptbxl_database.csv</c>).</summary>
    public string DatabaseFile { get; init; } = "ptbxl_database.csv";

    /// <summary>Whether rows whose .hea/.dat files are absent are skipped at load time (default true). When false they fail in <see cref="PtbXlDataset.LoadRecord"/>.</summary>
    public bool SkipMissingFiles { get; init; } = true;

    /// <summary>The reader of records; null uses <see cref="EcgRecordLoaders.Default"/> (WFDB).</summary>
    public IEcgRecordLoader? Loader { get; init; }
}

/// <summary>
/// PTB-XL (Wagner et al. 2020) as an <see cref="IEcgTextDataset"/>: one item per row of <c>ptbxl_database.csv</c>
/// whose record files exist, with the <c>report</c> text, labels derived from <c>scp_codes</c> via
/// <c>scp_statements.csv</c> (<see cref="ScpStatements"/>), <c>patient_id</c>, the targets <c>age</c> (years) and <c>sex</c>
/// (0 male, 1 female; NaN where missing) in <see cref="EcgTextItem.Targets"/>, and the split from <c>strat_fold</c>
/// (1–8 train, 9 validation, 10 test by default; the folds are patient-wise). Rows that cannot be used (files absent,
/// unparseable fields) are listed in <see cref="Skipped"/> with the reason.
/// </summary>
public sealed class PtbXlDataset : IEcgTextDataset
{
    private readonly IEcgRecordLoader _loader;

    private PtbXlDataset(string root, PtbXlOptions options, ScpStatements statements, LabelSpace space,
                         List<EcgTextItem> items, List<SkippedRecord> skipped, IEcgRecordLoader loader)
    {
        Root = root;
        Options = options;
        Statements = statements;
        LabelSpace = space;
        Items = items;
        Skipped = skipped;
        _loader = loader;
        Name = $"ptbxl-{options.SamplingRate}hz-{options.LabelSet.ToString().ToLowerInvariant()}";
    }

    /// <summary>The PTB-XL folder (holding ptbxl_database.csv, scp_statements.csv, records100/, records500/).</summary>
    public string Root { get; }
    /// <summary>The options it was loaded with.</summary>
    public PtbXlOptions Options { get; }
    /// <summary>The SCP statement table.</summary>
    public ScpStatements Statements { get; }
    /// <inheritdoc />
    public string Name { get; }
    /// <inheritdoc />
    public LabelSpace LabelSpace { get; }
    /// <inheritdoc />
    public IReadOnlyList<EcgTextItem> Items { get; }
    /// <inheritdoc />
    public IReadOnlyList<SkippedRecord> Skipped { get; }
    /// <inheritdoc />
    public double? SamplingRate => Options.SamplingRate;

    /// <summary>Reads the tables under <paramref name="root"/> and builds the item list (no signal IO beyond existence checks).</summary>
    /// <exception cref="DirectoryNotFoundException">The root does not exist.</exception>
    /// <exception cref="EcgFormatException">A table is malformed (names the file and the reason).</exception>
    public static PtbXlDataset Load(string root, PtbXlOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(root);
        options ??= new PtbXlOptions();
        if (options.SamplingRate is not (100 or 500))
            throw new ArgumentException($"PTB-XL sampling rate must be 100 or 500 Hz, got {options.SamplingRate}");
        if (!Directory.Exists(root)) throw new DirectoryNotFoundException($"{root}: PTB-XL folder not found");
        var statements = ScpStatements.Load(Path.Combine(root, "scp_statements.csv"));
        string dbPath = Path.Combine(root, options.DatabaseFile);
        var db = CsvTable.Load(dbPath);
        int cId = db.Require("ecg_id"), cPatient = db.Require("patient_id"), cReport = db.Require("report"),
            cScp = db.Require("scp_codes"), cFold = db.Require("strat_fold"),
            cFile = db.Require(options.SamplingRate == 100 ? "filename_lr" : "filename_hr");
        int cAge = db.IndexOf("age"), cSex = db.IndexOf("sex");
        var val = new HashSet<int>(options.ValidationFolds);
        var test = new HashSet<int>(options.TestFolds);
        var items = new List<EcgTextItem>(db.Rows.Count);
        var skipped = new List<SkippedRecord>();
        for (int r = 0; r < db.Rows.Count; r++)
        {
            var row = db.Rows[r];
            string id = row[cId].Trim();
            string rel = row[cFile].Trim();
            string path = rel.Length == 0 ? "" : Path.Combine(root, rel);
            if (id.Length == 0) { skipped.Add(new SkippedRecord($"row{r + 2}", path, "empty ecg_id")); continue; }
            if (rel.Length == 0) { skipped.Add(new SkippedRecord(id, path, "empty file name")); continue; }
            if (!int.TryParse(row[cFold].Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out int fold))
            { skipped.Add(new SkippedRecord(id, path, $"strat_fold '{row[cFold]}' is not an integer")); continue; }
            Dictionary<string, double> codes;
            try { codes = PythonDictLiteral.Parse(row[cScp]); }
            catch (FormatException ex) { skipped.Add(new SkippedRecord(id, path, "scp_codes: " + ex.Message)); continue; }
            if (options.SkipMissingFiles && options.Loader is IEcgRecordCatalog catalog)
            {
                if (!catalog.Contains(path)) { skipped.Add(new SkippedRecord(id, path, "record not in the loader's catalog")); continue; }
            }
            else if (options.SkipMissingFiles)
            {
                string? absent = !File.Exists(path + ".hea") ? path + ".hea" : !File.Exists(path + ".dat") ? path + ".dat" : null;
                if (absent is not null) { skipped.Add(new SkippedRecord(id, path, $"file not found: {absent}")); continue; }
            }
            var split = test.Contains(fold) ? DatasetSplit.Test : val.Contains(fold) ? DatasetSplit.Validation : DatasetSplit.Train;
            var labels = statements.Derive(codes, options.LabelSet, options.MinLikelihood);
            items.Add(new EcgTextItem(id, path, row[cReport].Trim(), labels, NormalizePatientId(row[cPatient]), split)
            {
                Fold = fold,
                Targets = new Dictionary<string, double>(2) { ["age"] = Age(cAge < 0 ? "" : row[cAge]), ["sex"] = Sex(cSex < 0 ? "" : row[cSex]) },
            });
        }

        LabelSpace space;
        if (options.MinLabelCount is int min)
        {
            var counts = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var it in items) foreach (var l in it.Labels) counts[l] = counts.GetValueOrDefault(l) + 1;
            space = new LabelSpace(counts.Where(kv => kv.Value > min).Select(kv => kv.Key).Order(StringComparer.Ordinal));
            for (int i = 0; i < items.Count; i++) items[i] = items[i] with { Labels = space.Normalize(items[i].Labels) };
        }
        else space = statements.FullLabelSpace(options.LabelSet);
        if (options.DropUnlabeled) items.RemoveAll(it => it.Labels.Count == 0);
        return new PtbXlDataset(root, options, statements, space, items, skipped, options.Loader ?? EcgRecordLoaders.Default);
    }

    /// <summary>
    /// <c>age</c> in years; NaN when empty or not a number, and for the privacy code 300 that PTB-XL v1.0.1 used for ages
    /// above 89 (v1.0.3 stores real ages).
    /// </summary>
    internal static double Age(string raw) =>
        double.TryParse(raw.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out double v) && v >= 0 && v < 300 ? v : double.NaN;

    /// <summary><c>sex</c> as PTB-XL codes it: 0 male, 1 female; NaN otherwise.</summary>
    internal static double Sex(string raw) => raw.Trim() switch { "0" or "0.0" => 0, "1" or "1.0" => 1, _ => double.NaN };

    /// <summary>"15709.0" → "15709"; other text is trimmed; empty → "unknown".</summary>
    internal static string NormalizePatientId(string raw)
    {
        string s = raw.Trim();
        if (s.Length == 0) return "unknown";
        if (double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) && v == Math.Floor(v) && Math.Abs(v) < 1e15)
            return ((long)v).ToString(CultureInfo.InvariantCulture);
        return s;
    }

    /// <inheritdoc />
    public EcgRecord LoadRecord(EcgTextItem item)
    {
        ArgumentNullException.ThrowIfNull(item);
        return CanonicalLeads.Reorder(_loader.Load(item.RecordPath));
    }
}
