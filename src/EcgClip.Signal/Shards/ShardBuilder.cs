using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using EcgClip.Signal.Datasets;
using EcgClip.Signal.Records;

namespace EcgClip.Signal.Shards;

/// <summary>Options of <see cref="ShardBuilder.Build"/>.</summary>
public sealed record ShardBuildOptions
{
    /// <summary>The output folder (created if absent).</summary>
    public required string OutputDirectory { get; init; }
    /// <summary>A description of the source stored in the manifest, e.g. "ptbxl:/data/ptbxl".</summary>
    public string Source { get; init; } = "";
    /// <summary>Sample encoding (default int16).</summary>
    public ShardSampleType SampleType { get; init; } = ShardSampleType.Int16;
    /// <summary>Target records per shard when <see cref="ShardCount"/> is not given (default 512).</summary>
    public int RecordsPerShard { get; init; } = 512;
    /// <summary>Number of shards; null derives it as ceil(items / <see cref="RecordsPerShard"/>) (at least 1).</summary>
    public int? ShardCount { get; init; }
    /// <summary>Build only this shard (0-based) of <see cref="ShardCount"/>, e.g. for one worker of a parallel build; null builds all.</summary>
    public int? OnlyShard { get; init; }
    /// <summary>Shards checked and built concurrently in this process (default 1). The dataset's <see cref="IEcgTextDataset.LoadRecord"/> must be thread-safe.</summary>
    public int MaxDegreeOfParallelism { get; init; } = 1;
}

/// <summary>The outcome of <see cref="ShardBuilder.Build"/>.</summary>
/// <param name="ShardsBuilt">Indices of shards written by this call.</param>
/// <param name="ShardsUpToDate">Indices of shards found complete and valid, left untouched.</param>
/// <param name="RecordsWritten">Records written by this call.</param>
/// <param name="Skipped">Every skipped record of the present shards plus the dataset-level ones (id, path, reason).</param>
/// <param name="Manifest">The manifest as written.</param>
/// <param name="ManifestPath">Path of manifest.json.</param>
/// <param name="SkippedReportPath">Path of skipped.csv (columns id,path,reason).</param>
public sealed record ShardBuildResult(IReadOnlyList<int> ShardsBuilt, IReadOnlyList<int> ShardsUpToDate, int RecordsWritten,
                                      IReadOnlyList<SkippedRecord> Skipped, ShardManifest Manifest, string ManifestPath, string SkippedReportPath)
{
    /// <summary>Temporary files of killed builds (<c>*.tmp-&lt;pid&gt;-&lt;guid&gt;</c> of a process no longer running) deleted on start.</summary>
    public int LeftoversRemoved { get; init; }
}

/// <summary>
/// Writes an <see cref="IEcgTextDataset"/> as memory-mappable shards: per shard a <c>.bin</c> of quantised samples
/// (<see cref="ShardSampleType"/>), a <c>.jsonl</c> of reports/labels/ids, and a <c>.json</c> with SHA-256 checksums
/// written last as the commit marker; then the folder's <c>manifest.json</c> and <c>skipped.csv</c>. Items are
/// assigned to shards in dataset order, shard k of N taking items [k·M/N, (k+1)·M/N).
/// </summary>
/// <remarks>
/// Resumable and idempotent: a shard whose marker exists with the same fingerprint (settings + ids) and whose files
/// match their recorded size and SHA-256 (and the manifest's entry, when the manifest lists it) is not rebuilt.
/// Every file is written to a temporary name and renamed into place, so an interrupted build leaves either the old
/// or the new file; the temporary files of a killed build (its pid no longer running) are deleted when the next build
/// of the folder starts. Records that fail to load are skipped and listed; they never abort the shard.
/// </remarks>
public sealed class ShardBuilder
{
    /// <summary>File names of shard <paramref name="index"/> of <paramref name="count"/>: (bin, jsonl, json).</summary>
    public static (string Bin, string Jsonl, string Json) FileNames(int index, int count)
    {
        string stem = string.Create(CultureInfo.InvariantCulture, $"shard-{index:D5}-of-{count:D5}");
        return (stem + ".bin", stem + ".jsonl", stem + ".json");
    }

    /// <summary>Builds (or resumes) the shards of <paramref name="dataset"/>.</summary>
    public ShardBuildResult Build(IEcgTextDataset dataset, ShardBuildOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(options);
        if (options.RecordsPerShard <= 0) throw new ArgumentException("records per shard must be positive");
        int m = dataset.Items.Count;
        int n = options.ShardCount ?? Math.Max(1, (m + options.RecordsPerShard - 1) / options.RecordsPerShard);
        if (n <= 0) throw new ArgumentException($"shard count must be positive, got {n}");
        if (options.OnlyShard is int only && (only < 0 || only >= n))
            throw new ArgumentException($"shard index {only} is outside 0..{n - 1}");
        string dir = options.OutputDirectory;
        Directory.CreateDirectory(dir);
        int leftoversRemoved = ShardLeftovers.RemoveDead(dir);
        string typeName = TypeName(options.SampleType);
        var existingManifest = TryLoadManifest(dir);

        if (options.MaxDegreeOfParallelism <= 0) throw new ArgumentException("parallelism must be positive");
        var targets = Enumerable.Range(0, n).Where(k => options.OnlyShard is not int o || o == k).ToArray();
        var outcome = new int[n]; // 0: not targeted, 1: up to date, 2: built
        var writtenPerShard = new int[n];
        try
        {
            Parallel.ForEach(targets, new ParallelOptions { MaxDegreeOfParallelism = options.MaxDegreeOfParallelism, CancellationToken = cancellationToken }, k => BuildOne(k));
        }
        catch (AggregateException ex) when (ex.InnerExceptions.Count >= 1)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(ex.InnerExceptions[0]); // surface the first failure's own type (IO, format)
        }

        void BuildOne(int k)
        {
            var items = Slice(dataset.Items, k, n);
            string fingerprint = Fingerprint(dataset, typeName, k, n, items);
            var (bin, jsonl, json) = FileNames(k, n);
            if (IsValid(dir, json, fingerprint, existingManifest)) { outcome[k] = 1; return; }
            var w = ShardWriter.Write(dataset, items, options.SampleType, dir, bin, jsonl, cancellationToken);
            var info = new ShardInfo { Index = k, Count = n, Fingerprint = fingerprint, Records = w.Records, Samples = w.Samples, Metadata = w.Metadata, Skipped = w.Skipped };
            WriteAtomic(Path.Combine(dir, json), JsonSerializer.SerializeToUtf8Bytes(info, ShardManifest.JsonOptions));
            outcome[k] = 2;
            writtenPerShard[k] = w.Records;
        }
        var built = Enumerable.Range(0, n).Where(k => outcome[k] == 2).ToList();
        var upToDate = Enumerable.Range(0, n).Where(k => outcome[k] == 1).ToList();
        int written = writtenPerShard.Sum();

        // Aggregate every valid shard of this build present in the folder (other workers' included).
        var shards = new List<ShardInfo>();
        for (int k = 0; k < n; k++)
        {
            var (_, _, json) = FileNames(k, n);
            var info = TryLoadInfo(Path.Combine(dir, json));
            if (info is null || info.Fingerprint != Fingerprint(dataset, typeName, k, n, Slice(dataset.Items, k, n))) continue;
            shards.Add(info);
        }
        var skipped = new List<SkippedRecord>(dataset.Skipped);
        foreach (var s in shards) skipped.AddRange(s.Skipped);
        var manifest = new ShardManifest
        {
            Source = options.Source,
            Dataset = dataset.Name,
            SamplingRate = dataset.SamplingRate,
            Leads = LeadNames.Canonical12,
            SampleType = typeName,
            Labels = dataset.LabelSpace.Names,
            ShardCount = n,
            DatasetItems = m,
            Shards = shards,
            Records = shards.Sum(s => s.Records),
            DatasetSkipped = dataset.Skipped,
            SkippedRecords = skipped.Count,
            Complete = shards.Count == n,
        };
        string manifestPath = Path.Combine(dir, ShardManifest.FileName);
        WriteAtomic(manifestPath, JsonSerializer.SerializeToUtf8Bytes(manifest, ShardManifest.JsonOptions));
        string skippedPath = Path.Combine(dir, "skipped.csv");
        WriteAtomic(skippedPath, Encoding.UTF8.GetBytes(SkippedCsv(skipped)));
        return new ShardBuildResult(built, upToDate, written, skipped, manifest, manifestPath, skippedPath) { LeftoversRemoved = leftoversRemoved };
    }

    internal static string TypeName(ShardSampleType t) => t switch
    {
        ShardSampleType.Int16 => "int16",
        ShardSampleType.Float16 => "float16",
        _ => throw new ArgumentOutOfRangeException(nameof(t), t, null),
    };

    /// <summary>Parses "int16" or "float16".</summary>
    public static bool TryParseSampleType(string? text, out ShardSampleType type)
    {
        switch (text?.Trim().ToLowerInvariant())
        {
            case "int16": case "i2": type = ShardSampleType.Int16; return true;
            case "float16": case "half": case "f2": type = ShardSampleType.Float16; return true;
            default: type = ShardSampleType.Int16; return false;
        }
    }

    private static IReadOnlyList<EcgTextItem> Slice(IReadOnlyList<EcgTextItem> all, int k, int n)
    {
        int start = (int)((long)k * all.Count / n), end = (int)((long)(k + 1) * all.Count / n);
        var list = new EcgTextItem[end - start];
        for (int i = start; i < end; i++) list[i - start] = all[i];
        return list;
    }

    private static string Fingerprint(IEcgTextDataset ds, string type, int k, int n, IReadOnlyList<EcgTextItem> items)
    {
        using var h = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        void Add(string s) { h.AppendData(Encoding.UTF8.GetBytes(s)); h.AppendData([0]); }
        Add($"v{ShardFormat.Version}"); Add(ds.Name); Add(type); Add(k.ToString(CultureInfo.InvariantCulture)); Add(n.ToString(CultureInfo.InvariantCulture));
        foreach (var l in ds.LabelSpace.Names) Add(l);
        Add("|items");
        foreach (var it in items)
        {
            Add(it.Id); Add(it.RecordPath); Add(it.Report); Add(it.PatientId); Add(DatasetSplits.ToName(it.Split));
            Add(string.Join(",", it.Labels));
            foreach (var (key, v) in it.Targets) Add(string.Create(CultureInfo.InvariantCulture, $"{key}={v:R}"));
        }
        return Convert.ToHexStringLower(h.GetHashAndReset());
    }

    private static bool IsValid(string dir, string jsonName, string fingerprint, ShardManifest? manifest)
    {
        var info = TryLoadInfo(Path.Combine(dir, jsonName));
        if (info is null || info.Fingerprint != fingerprint) return false;
        if (manifest?.Shards.FirstOrDefault(s => s.Index == info.Index && s.Count == info.Count) is { } listed
            && (listed.Samples != info.Samples || listed.Metadata != info.Metadata || listed.Fingerprint != info.Fingerprint))
            return false;
        return FileMatches(dir, info.Samples) && FileMatches(dir, info.Metadata);
    }

    private static bool FileMatches(string dir, ShardFile f)
    {
        string path = Path.Combine(dir, f.Name);
        if (!File.Exists(path) || new FileInfo(path).Length != f.Bytes) return false;
        return ShardWriter.Describe(path, f.Name).Sha256 == f.Sha256;
    }

    private static ShardInfo? TryLoadInfo(string path)
    {
        if (!File.Exists(path)) return null;
        try { return JsonSerializer.Deserialize<ShardInfo>(File.ReadAllBytes(path), ShardManifest.JsonOptions); }
        catch (JsonException) { return null; }
    }

    private static ShardManifest? TryLoadManifest(string dir)
    {
        try { return File.Exists(Path.Combine(dir, ShardManifest.FileName)) ? ShardManifest.Load(dir) : null; }
        catch (EcgFormatException) { return null; }
    }

    internal static string SkippedCsv(IEnumerable<SkippedRecord> skipped)
    {
        var sb = new StringBuilder("id,path,reason\n");
        foreach (var s in skipped) sb.Append(Csv(s.Id)).Append(',').Append(Csv(s.Path)).Append(',').Append(Csv(s.Reason)).Append('\n');
        return sb.ToString();
    }

    private static string Csv(string s) =>
        s.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + s.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : s;

    internal static void WriteAtomic(string path, byte[] content)
    {
        string tmp = $"{path}.tmp-{Environment.ProcessId}-{Guid.NewGuid():N}";
        try
        {
            using (var f = new FileStream(tmp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                f.Write(content);
                f.Flush(flushToDisk: true);
            }
            File.Move(tmp, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(tmp)) File.Delete(tmp);
        }
    }
}
