using System.Globalization;
using EcgClip.Signal.Records;

namespace EcgClip.Signal.Datasets;

/// <summary>One scored class of the PhysioNet/CinC Challenge 2021, possibly merging equivalent SNOMED CT codes.</summary>
/// <param name="Name">The class label as in <c>weights.csv</c>, e.g. "713427006|59118001".</param>
/// <param name="Codes">The SNOMED CT codes scored as this class.</param>
/// <param name="Abbreviation">Abbreviations joined by "|", e.g. "CRBBB|RBBB".</param>
/// <param name="Description">Diagnosis names joined by " / ".</param>
public sealed record CincScoredClass(string Name, IReadOnlyList<string> Codes, string Abbreviation, string Description);

/// <summary>
/// The scored classes of the PhysioNet/CinC Challenge 2021 (evaluation-2021): the 30 scored SNOMED CT codes of
/// <c>dx_mapping_scored.csv</c> merged into the 26 classes of <c>weights.csv</c>, whose labels join equivalent codes
/// with "|" (713427006|59118001 CRBBB/RBBB, 284470004|63593006 PAC/SVPB, 427172004|17338001 PVC/VPB,
/// 733534002|164909002 CLBBB/LBBB). Class order is the order of <c>weights.csv</c>.
/// </summary>
public sealed class CincScoredClasses
{
    private readonly Dictionary<string, int> _classOfCode;
    private readonly Dictionary<string, string> _names;

    private CincScoredClasses(List<CincScoredClass> classes, Dictionary<string, string> names)
    {
        Classes = classes;
        _names = names;
        _classOfCode = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < classes.Count; i++) foreach (var c in classes[i].Codes) _classOfCode[c] = i;
        LabelSpace = new LabelSpace(classes.Select(c => c.Name));
    }

    /// <summary>The scored classes in weights.csv order.</summary>
    public IReadOnlyList<CincScoredClass> Classes { get; }

    /// <summary>The class labels as a label space (weights.csv order).</summary>
    public LabelSpace LabelSpace { get; }

    /// <summary>
    /// Loads <c>weights.csv</c> and <c>dx_mapping_scored.csv</c> (and, when present, <c>dx_mapping_unscored.csv</c> for
    /// diagnosis names) from <paramref name="scoringDirectory"/>.
    /// </summary>
    public static CincScoredClasses Load(string scoringDirectory)
    {
        if (!Directory.Exists(scoringDirectory)) throw new DirectoryNotFoundException($"{scoringDirectory}: CinC scoring folder not found");
        string weightsPath = Path.Combine(scoringDirectory, "weights.csv");
        var weights = CsvTable.Load(weightsPath);
        var scored = CsvTable.Load(Path.Combine(scoringDirectory, "dx_mapping_scored.csv"));
        int sCode = scored.Require("SNOMEDCTCode"), sAbbr = scored.Require("Abbreviation"), sDx = scored.Require("Dx");
        var abbr = new Dictionary<string, string>(StringComparer.Ordinal);
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var r in scored.Rows) { abbr[r[sCode].Trim()] = r[sAbbr].Trim(); names[r[sCode].Trim()] = r[sDx].Trim(); }
        string unscoredPath = Path.Combine(scoringDirectory, "dx_mapping_unscored.csv");
        if (File.Exists(unscoredPath))
        {
            var unscored = CsvTable.Load(unscoredPath);
            int uCode = unscored.IndexOf("SNOMEDCTCode"), uDx = unscored.IndexOf("Dx");
            if (uCode >= 0 && uDx >= 0)
                foreach (var r in unscored.Rows) names.TryAdd(r[uCode].Trim(), r[uDx].Trim());
        }
        var classes = new List<CincScoredClass>();
        for (int c = 1; c < weights.Header.Count; c++)
        {
            string label = weights.Header[c].Trim();
            if (label.Length == 0) throw new EcgFormatException(weightsPath, $"column {c + 1} has an empty class label");
            var codes = label.Split('|', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            foreach (var code in codes)
                if (!abbr.ContainsKey(code)) throw new EcgFormatException(weightsPath, $"class code {code} is not in dx_mapping_scored.csv");
            classes.Add(new CincScoredClass(label, codes, string.Join("|", codes.Select(x => abbr[x])), string.Join(" / ", codes.Select(x => names[x]))));
        }
        if (classes.Count == 0) throw new EcgFormatException(weightsPath, "no classes in the header");
        return new CincScoredClasses(classes, names);
    }

    /// <summary>The class label of a SNOMED CT code, or null when the code is not scored.</summary>
    public string? ClassOf(string code) => _classOfCode.TryGetValue(code.Trim(), out int i) ? Classes[i].Name : null;

    /// <summary>The scored class labels of <paramref name="codes"/> in class order, without duplicates.</summary>
    public IReadOnlyList<string> Map(IEnumerable<string> codes)
    {
        ArgumentNullException.ThrowIfNull(codes);
        return LabelSpace.Normalize(codes.Select(ClassOf).OfType<string>());
    }

    /// <summary>The diagnosis name of a code (scored or unscored), or null when unknown.</summary>
    public string? DiagnosisName(string code) => _names.GetValueOrDefault(code.Trim());
}

/// <summary>Options of <see cref="CincDataset.Load"/>.</summary>
public sealed record CincOptions
{
    /// <summary>Seed of the patient-level split hash (default 0).</summary>
    public int Seed { get; init; }
    /// <summary>Fraction of records in train (default 0.8).</summary>
    public double TrainFraction { get; init; } = 0.8;
    /// <summary>Fraction of records in validation (default 0.1); the rest is test.</summary>
    public double ValidationFraction { get; init; } = 0.1;
    /// <summary>The reader of records; null uses <see cref="EcgRecordLoaders.Default"/>.</summary>
    public IEcgRecordLoader? Loader { get; init; }
}

/// <summary>
/// PhysioNet/CinC Challenge 2021 records (<c>.hea</c> + <c>.mat</c>) as an <see cref="IEcgTextDataset"/>. Labels are
/// the scored classes (<see cref="CincScoredClasses"/>) of the <c># Dx:</c> codes of each header. The challenge has no
/// patient ids, so each record is its own patient, and splits are assigned by <see cref="SplitAssigner"/> on the
/// record name. CinC has no free text: the report is the diagnosis names of all Dx codes (scored and unscored)
/// joined by ", ", in header order; codes without a known name are left out.
/// </summary>
public sealed class CincDataset : IEcgTextDataset
{
    private readonly IEcgRecordLoader _loader;

    private CincDataset(CincScoredClasses classes, List<EcgTextItem> items, List<SkippedRecord> skipped, double? fs, IEcgRecordLoader loader)
    {
        Classes = classes;
        Items = items;
        Skipped = skipped;
        SamplingRate = fs;
        _loader = loader;
    }

    /// <summary>The scored classes.</summary>
    public CincScoredClasses Classes { get; }
    /// <inheritdoc />
    public string Name => "cinc2021";
    /// <inheritdoc />
    public LabelSpace LabelSpace => Classes.LabelSpace;
    /// <inheritdoc />
    public IReadOnlyList<EcgTextItem> Items { get; }
    /// <inheritdoc />
    public IReadOnlyList<SkippedRecord> Skipped { get; }
    /// <inheritdoc />
    public double? SamplingRate { get; }

    /// <summary>Indexes every <c>*.hea</c> in <paramref name="recordsDirectory"/> (ordinal name order); headers that cannot be parsed or whose signal file is absent are skipped with the reason.</summary>
    public static CincDataset Load(string recordsDirectory, string scoringDirectory, CincOptions? options = null)
    {
        options ??= new CincOptions();
        if (!Directory.Exists(recordsDirectory)) throw new DirectoryNotFoundException($"{recordsDirectory}: CinC records folder not found");
        var classes = CincScoredClasses.Load(scoringDirectory);
        var splitter = new SplitAssigner(options.Seed, options.TrainFraction, options.ValidationFraction, 1 - options.TrainFraction - options.ValidationFraction);
        var items = new List<EcgTextItem>();
        var skipped = new List<SkippedRecord>();
        var rates = new HashSet<double>();
        foreach (var hea in Directory.EnumerateFiles(recordsDirectory, "*.hea").Order(StringComparer.Ordinal))
        {
            string name = Path.GetFileNameWithoutExtension(hea);
            try
            {
                var (fs, signalFile, dx) = ParseHeader(hea);
                string signalPath = Path.Combine(recordsDirectory, signalFile);
                if (!File.Exists(signalPath)) { skipped.Add(new SkippedRecord(name, hea, $"file not found: {signalPath}")); continue; }
                rates.Add(fs);
                string report = string.Join(", ", dx.Select(classes.DiagnosisName).OfType<string>());
                items.Add(new EcgTextItem(name, hea, report, classes.Map(dx), name, splitter.Assign(name)));
            }
            catch (EcgFormatException ex)
            {
                skipped.Add(new SkippedRecord(name, hea, ex.Reason));
            }
        }
        return new CincDataset(classes, items, skipped, rates.Count == 1 ? rates.First() : null, options.Loader ?? EcgRecordLoaders.Default);
    }

    /// <summary>Reads the sampling rate (Hz), the first signal file name and the <c># Dx:</c> codes of a CinC header.</summary>
    internal static (double Fs, string SignalFile, IReadOnlyList<string> Dx) ParseHeader(string path)
    {
        var lines = File.ReadAllLines(path);
        int k = 0;
        while (k < lines.Length && (lines[k].Trim().Length == 0 || lines[k].TrimStart().StartsWith('#'))) k++;
        if (k >= lines.Length) throw new EcgFormatException(path, "no record line");
        var rec = lines[k].Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (rec.Length < 3 || !int.TryParse(rec[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out int nsig) || nsig <= 0)
            throw new EcgFormatException(path, $"malformed record line '{lines[k]}'");
        string fsText = rec[2].Split('/')[0];
        if (!double.TryParse(fsText, NumberStyles.Float, CultureInfo.InvariantCulture, out double fs) || !(fs > 0))
            throw new EcgFormatException(path, $"invalid sampling frequency '{rec[2]}'");
        if (k + 1 >= lines.Length) throw new EcgFormatException(path, "no signal lines");
        var sig = lines[k + 1].Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (sig.Length < 2) throw new EcgFormatException(path, $"malformed signal line '{lines[k + 1]}'");
        string? dx = null;
        foreach (var l in lines)
        {
            var t = l.TrimStart();
            if (t.StartsWith('#') && t[1..].TrimStart() is var c && c.StartsWith("Dx:", StringComparison.OrdinalIgnoreCase)) dx = c[3..];
        }
        if (dx is null) throw new EcgFormatException(path, "no '# Dx:' comment");
        var codes = dx.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        return (fs, sig[0], codes);
    }

    /// <inheritdoc />
    public EcgRecord LoadRecord(EcgTextItem item)
    {
        ArgumentNullException.ThrowIfNull(item);
        return CanonicalLeads.Reorder(_loader.Load(item.RecordPath));
    }
}
