using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using EcgClip.Signal.Datasets;

namespace EcgClip.Signal.Shards;

/// <summary>A file of a shard with its size and SHA-256.</summary>
/// <param name="Name">File name, relative to the shard folder.</param>
/// <param name="Bytes">Size in bytes.</param>
/// <param name="Sha256">Lower-case hex SHA-256 of the content.</param>
public sealed record ShardFile(string Name, long Bytes, string Sha256);

/// <summary>What one shard holds; written next to it as <c>shard-IIIII-of-NNNNN.json</c> once its files are complete (the commit marker).</summary>
public sealed record ShardInfo
{
    /// <summary>Shard number, 0-based.</summary>
    public required int Index { get; init; }
    /// <summary>Total number of shards of the build.</summary>
    public required int Count { get; init; }
    /// <summary>
    /// SHA-256 of the build settings (format version, dataset name, sample type, shard i/N, label space) and of every
    /// item assigned to this shard (id, source path, report, patient, split, labels, targets); a shard whose recorded
    /// fingerprint differs is rebuilt. Source paths are absolute, so moving the source data rebuilds all shards.
    /// </summary>
    public required string Fingerprint { get; init; }
    /// <summary>Records stored.</summary>
    public required int Records { get; init; }
    /// <summary>The binary sample file (layout: see the shard format documentation on <see cref="ShardSampleType"/>).</summary>
    public required ShardFile Samples { get; init; }
    /// <summary>The JSONL metadata file: one line per stored record (id, report, labels, patient_id, split, fold, path, samples, targets).</summary>
    public required ShardFile Metadata { get; init; }
    /// <summary>Source records assigned to this shard that could not be read, with reasons.</summary>
    public required IReadOnlyList<SkippedRecord> Skipped { get; init; }
}

/// <summary>The folder-level <c>manifest.json</c>: build settings, label space, every shard with checksums and counts.</summary>
public sealed record ShardManifest
{
    /// <summary>Always "ecgclip-shards".</summary>
    public string Format { get; init; } = "ecgclip-shards";
    /// <summary>Format version (1).</summary>
    public int Version { get; init; } = ShardFormat.Version;
    /// <summary>The source as given, e.g. "ptbxl:/data/ptbxl".</summary>
    public required string Source { get; init; }
    /// <summary>The dataset name (<see cref="IEcgTextDataset.Name"/>).</summary>
    public required string Dataset { get; init; }
    /// <summary>Nominal sampling rate in Hz, or null when records differ.</summary>
    public double? SamplingRate { get; init; }
    /// <summary>Lead names in stored order (canonical 12).</summary>
    public required IReadOnlyList<string> Leads { get; init; }
    /// <summary>"int16" or "float16".</summary>
    public required string SampleType { get; init; }
    /// <summary>Physical unit of decoded samples ("mV").</summary>
    public string Units { get; init; } = "mV";
    /// <summary>The label space (column order of multi-hot labels).</summary>
    public required IReadOnlyList<string> Labels { get; init; }
    /// <summary>Number of shards of the build.</summary>
    public required int ShardCount { get; init; }
    /// <summary>Items in the dataset (before record-level failures).</summary>
    public required int DatasetItems { get; init; }
    /// <summary>The shards present and valid, by index.</summary>
    public required IReadOnlyList<ShardInfo> Shards { get; init; }
    /// <summary>Records stored over all present shards.</summary>
    public required int Records { get; init; }
    /// <summary>Source rows left out by the dataset itself (e.g. files absent).</summary>
    public required IReadOnlyList<SkippedRecord> DatasetSkipped { get; init; }
    /// <summary>Records skipped: dataset-level plus shard-level.</summary>
    public required int SkippedRecords { get; init; }
    /// <summary>True when all <see cref="ShardCount"/> shards are present.</summary>
    public required bool Complete { get; init; }

    /// <summary>The JSON conventions of shard files (snake_case, indented for the manifest).</summary>
    internal static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    /// <summary>The manifest file name inside a shard folder.</summary>
    public const string FileName = "manifest.json";

    /// <summary>Reads <c>manifest.json</c> from <paramref name="directory"/>.</summary>
    /// <exception cref="FileNotFoundException">No manifest.</exception>
    /// <exception cref="Records.EcgFormatException">The manifest is not valid JSON of this format.</exception>
    public static ShardManifest Load(string directory)
    {
        string path = Path.Combine(directory, FileName);
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: shard manifest not found", path);
        try
        {
            var m = JsonSerializer.Deserialize<ShardManifest>(File.ReadAllBytes(path), JsonOptions)
                    ?? throw new Records.EcgFormatException(path, "empty manifest");
            if (m.Format != "ecgclip-shards") throw new Records.EcgFormatException(path, $"format '{m.Format}' is not ecgclip-shards");
            return m;
        }
        catch (JsonException ex)
        {
            throw new Records.EcgFormatException(path, "invalid manifest JSON: " + ex.Message, ex);
        }
    }
}
