using System.Collections.Concurrent;

namespace EcgClip.Signal.Datasets;

/// <summary>
/// The PTB-XL subset shipped with EcgClip: the 1,999 ECGs ecg_id 1–1999 at 100 Hz (12 leads × 10 s) with their rows of
/// <c>ptbxl_database.csv</c> (reports, SCP codes, <c>strat_fold</c>) and <c>scp_statements.csv</c>. PTB-XL is by
/// Wagner et al., Scientific Data 7:154 (2020), published on PhysioNet under CC BY 4.0 (attribution in the folder's
/// SOURCE.md). The signals are one lossless <see cref="EcgPack"/> (<c>records100.ecgpack</c>): every ADC value equals
/// the PhysioNet WFDB file's. It opens as a <see cref="PtbXlDataset"/> like a PTB-XL folder on disk, with the same
/// label sets and the benchmark's folds (1–8 train, 9 validation, 10 test).
/// </summary>
public static class EmbeddedPtbXl
{
    /// <summary>Environment variable that points to another copy of the embedded folder.</summary>
    public const string DirectoryVariable = "ECGCLIP_EMBEDDED_DATA";

    /// <summary>The pack file name inside the folder.</summary>
    public const string PackFileName = "records100.ecgpack";

    /// <summary>The folder name under the application's base directory (where the build copies it).</summary>
    public const string RelativeDirectory = "ecgclip-data/ptbxl";

    // Opened packs by full path. A pack is immutable once read, so sharing it between datasets is safe and saves the
    // ~0.2 s decompression and ~100 MB per extra dataset a process opens.
    private static readonly ConcurrentDictionary<string, Lazy<EcgPack>> s_packs = new(StringComparer.Ordinal);

    /// <summary>
    /// The folder holding the embedded data: <c>$ECGCLIP_EMBEDDED_DATA</c> when set, else <c>ecgclip-data/ptbxl</c> under
    /// the application's base directory (the build copies it there for every app and test that references EcgClip.Signal).
    /// </summary>
    /// <exception cref="DirectoryNotFoundException">No folder with the pack was found (the message lists where it looked).</exception>
    public static string Locate()
    {
        var tried = new List<string>();
        if (Environment.GetEnvironmentVariable(DirectoryVariable) is { Length: > 0 } env)
        {
            if (File.Exists(Path.Combine(env, PackFileName))) return Path.GetFullPath(env);
            tried.Add($"{env} (from {DirectoryVariable})");
        }
        foreach (string baseDir in new[] { AppContext.BaseDirectory, Path.GetDirectoryName(typeof(EmbeddedPtbXl).Assembly.Location) ?? "" })
        {
            if (baseDir.Length == 0) continue;
            string dir = Path.Combine(baseDir, RelativeDirectory);
            if (File.Exists(Path.Combine(dir, PackFileName))) return Path.GetFullPath(dir);
            tried.Add(dir);
        }
        throw new DirectoryNotFoundException($"embedded PTB-XL data not found (looked for {PackFileName} in: {string.Join(", ", tried.Distinct())}); " +
                                             $"reinstall EcgClip, or set {DirectoryVariable} to a folder holding {PackFileName}, ptbxl_database.csv and scp_statements.csv");
    }

    /// <summary>Opens the embedded data set (100 Hz only) with <paramref name="options"/> (label set, folds, ...).</summary>
    /// <exception cref="ArgumentException">A sampling rate other than 100 Hz was asked for.</exception>
    /// <exception cref="DirectoryNotFoundException">The embedded folder is missing.</exception>
    /// <exception cref="Records.EcgFormatException">The pack or a table is corrupt (names the file and the reason).</exception>
    public static PtbXlDataset Load(PtbXlOptions? options = null) => Load(Locate(), options);

    /// <summary>Opens an embedded-layout folder at <paramref name="directory"/> (a pack plus the two PTB-XL tables).</summary>
    public static PtbXlDataset Load(string directory, PtbXlOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(directory);
        options ??= new PtbXlOptions();
        if (options.SamplingRate != 100)
            throw new ArgumentException($"the embedded PTB-XL data is 100 Hz only, got {options.SamplingRate} Hz (use ptbxl:<dir> with a full PTB-XL download for 500 Hz)");
        string full = Path.GetFullPath(directory);
        string packPath = Path.Combine(full, PackFileName);
        var pack = s_packs.GetOrAdd(packPath, p => new Lazy<EcgPack>(() => EcgPack.Open(p))).Value;
        return PtbXlDataset.Load(full, options with { Loader = new EcgPackRecordLoader(pack, full), SkipMissingFiles = true });
    }
}

/// <summary>Writes an embedded-layout folder back out as a PTB-XL folder of WFDB records (format 16).</summary>
public static class EmbeddedPtbXlExport
{
    /// <summary>
    /// Writes the two tables and every packed record as WFDB (<c>records100/…/NNNNN_lr.hea/.dat</c>) under
    /// <paramref name="directory"/>; the <c>.dat</c> files are byte-identical to PhysioNet's (same ADC values, format 16).
    /// Files are written into a temporary folder that is renamed into place, so an interrupted export leaves no half folder.
    /// </summary>
    /// <param name="directory">Target folder; must not exist yet.</param>
    /// <param name="source">An embedded-layout folder; null = <see cref="EmbeddedPtbXl.Locate"/>.</param>
    /// <returns>The number of records written.</returns>
    /// <exception cref="IOException">The target already exists.</exception>
    public static int Export(string directory, string? source = null)
    {
        ArgumentNullException.ThrowIfNull(directory);
        string target = Path.GetFullPath(directory);
        if (Directory.Exists(target) || File.Exists(target)) throw new IOException($"{target}: already exists; export writes a new folder");
        source = Path.GetFullPath(source ?? EmbeddedPtbXl.Locate());
        var pack = EcgPack.Open(Path.Combine(source, EmbeddedPtbXl.PackFileName));
        string temp = target + $".tmp-{Environment.ProcessId}";
        if (Directory.Exists(temp)) Directory.Delete(temp, recursive: true);
        Directory.CreateDirectory(temp);
        foreach (string table in new[] { "ptbxl_database.csv", "scp_statements.csv" })
            File.Copy(Path.Combine(source, table), Path.Combine(temp, table));
        foreach (string key in pack.Keys)
        {
            string dir = Path.Combine(temp, Path.GetDirectoryName(key) ?? "");
            Formats.Wfdb.WfdbWriter.Write(dir, Path.GetFileName(key), pack.Load(key), new Formats.Wfdb.WfdbWriteOptions { WriteComments = false });
        }
        Directory.Move(temp, target);
        return pack.Count;
    }
}

/// <summary>
/// Reads records of a dataset folder from an <see cref="EcgPack"/> instead of files: a record path under
/// <see cref="Root"/> maps to the pack key of its relative path (e.g. <c>records100/00000/00001_lr</c>).
/// </summary>
public sealed class EcgPackRecordLoader : IEcgRecordLoader, IEcgRecordCatalog
{
    /// <summary>Creates the loader over <paramref name="pack"/> for paths under <paramref name="root"/>.</summary>
    public EcgPackRecordLoader(EcgPack pack, string root)
    {
        Pack = pack ?? throw new ArgumentNullException(nameof(pack));
        Root = Path.GetFullPath(root ?? throw new ArgumentNullException(nameof(root)));
    }

    /// <summary>The pack records come from.</summary>
    public EcgPack Pack { get; }

    /// <summary>The folder record paths are relative to.</summary>
    public string Root { get; }

    /// <inheritdoc />
    public bool Contains(string path) => Pack.Contains(KeyOf(path));

    /// <inheritdoc />
    public Records.EcgRecord Load(string path)
    {
        string key = KeyOf(path);
        if (!Pack.Contains(key)) throw new Records.EcgFormatException(path, $"record '{key}' is not in {Pack.Path}");
        return Pack.Load(key);
    }

    private string KeyOf(string path)
    {
        string rel = Path.GetRelativePath(Root, Path.GetFullPath(path)).Replace('\\', '/');
        return rel.EndsWith(".hea", StringComparison.OrdinalIgnoreCase) ? rel[..^4] : rel;
    }
}
