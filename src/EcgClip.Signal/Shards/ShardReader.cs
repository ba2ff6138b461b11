using System.Buffers.Binary;
using System.IO.MemoryMappedFiles;
using System.Text.Json;
using EcgClip.Signal.Datasets;
using EcgClip.Signal.Records;

namespace EcgClip.Signal.Shards;

/// <summary>The metadata of one stored record.</summary>
/// <param name="Id">Record identifier.</param>
/// <param name="Report">Free-text report.</param>
/// <param name="Labels">Label names (members of <see cref="ShardReader.LabelSpace"/>).</param>
/// <param name="PatientId">Patient identifier.</param>
/// <param name="Split">Partition.</param>
/// <param name="Fold">Source fold, if any.</param>
/// <param name="SourcePath">The record's source path at build time.</param>
/// <param name="Targets">Continuous targets by name (NaN where missing).</param>
public sealed record ShardRecordInfo(string Id, string Report, IReadOnlyList<string> Labels, string PatientId, DatasetSplit Split,
                                     int? Fold, string SourcePath, IReadOnlyDictionary<string, double> Targets);

/// <summary>
/// Random access to a shard folder written by <see cref="ShardBuilder"/>: the sample files are memory-mapped and
/// decoded straight into the caller's span (no per-record allocation); reports and labels are loaded once at open.
/// Record i is addressed globally across shards in shard order. Thread-safe for concurrent reads; dispose to unmap.
/// </summary>
public sealed unsafe class ShardReader : IDisposable
{
    private readonly Shard[] _shards;
    private readonly int[] _shardStart; // global index of each shard's first record, plus Count at the end
    private readonly ShardRecordInfo[] _info;
    private bool _disposed;

    private sealed class Shard : IDisposable
    {
        public required MemoryMappedFile File;
        public required MemoryMappedViewAccessor View;
        public required byte* Base;
        public required ShardFormat.Header Header;
        public required string Path;

        public void Dispose()
        {
            if (Base != null) View.SafeMemoryMappedViewHandle.ReleasePointer();
            View.Dispose();
            File.Dispose();
        }
    }

    private ShardReader(ShardManifest manifest, Shard[] shards, int[] starts, ShardRecordInfo[] info)
    {
        Manifest = manifest;
        _shards = shards;
        _shardStart = starts;
        _info = info;
        LabelSpace = new LabelSpace(manifest.Labels);
    }

    /// <summary>The manifest of the folder.</summary>
    public ShardManifest Manifest { get; }
    /// <summary>Number of records over all present shards.</summary>
    public int Count => _info.Length;
    /// <summary>Leads per record (12, canonical order).</summary>
    public int Leads => CanonicalLeads.Count;
    /// <summary>The label space (column order of <see cref="ReadLabels"/>).</summary>
    public LabelSpace LabelSpace { get; }

    /// <summary>
    /// Opens the shard folder <paramref name="directory"/>. With <paramref name="verifyChecksums"/> every file's
    /// SHA-256 is checked against the manifest first (reads all data once).
    /// </summary>
    /// <exception cref="FileNotFoundException">The manifest or a listed file is missing.</exception>
    /// <exception cref="EcgFormatException">A file is corrupt or does not match the manifest (names the file and the reason).</exception>
    public static ShardReader Open(string directory, bool verifyChecksums = false)
    {
        var manifest = ShardManifest.Load(directory);
        var shards = new List<Shard>();
        var infos = new List<ShardRecordInfo>();
        var starts = new List<int>();
        try
        {
            foreach (var s in manifest.Shards.OrderBy(s => s.Index))
            {
                string binPath = Path.Combine(directory, s.Samples.Name), jsonlPath = Path.Combine(directory, s.Metadata.Name);
                foreach (var (f, p) in new[] { (s.Samples, binPath), (s.Metadata, jsonlPath) })
                {
                    if (!File.Exists(p)) throw new FileNotFoundException($"{p}: shard file listed in the manifest is missing", p);
                    if (new FileInfo(p).Length != f.Bytes) throw new EcgFormatException(p, $"size {new FileInfo(p).Length} differs from the manifest's {f.Bytes} bytes");
                    if (verifyChecksums && ShardWriter.Describe(p, f.Name).Sha256 != f.Sha256) throw new EcgFormatException(p, "SHA-256 differs from the manifest");
                }
                var shard = Map(binPath);
                shards.Add(shard);
                if (shard.Header.Records != s.Records) throw new EcgFormatException(binPath, $"holds {shard.Header.Records} records, the manifest says {s.Records}");
                starts.Add(infos.Count);
                int before = infos.Count;
                ReadMetadata(jsonlPath, infos);
                if (infos.Count - before != s.Records) throw new EcgFormatException(jsonlPath, $"has {infos.Count - before} lines, expected {s.Records}");
                ValidateIndex(shard);
            }
            starts.Add(infos.Count);
            return new ShardReader(manifest, [.. shards], [.. starts], [.. infos]);
        }
        catch
        {
            foreach (var s in shards) s.Dispose();
            throw;
        }
    }

    private static Shard Map(string path)
    {
        long length = new FileInfo(path).Length;
        if (length < ShardFormat.HeaderSize) throw new EcgFormatException(path, "file shorter than the shard header");
        var mmf = MemoryMappedFile.CreateFromFile(path, FileMode.Open, null, 0, MemoryMappedFileAccess.Read);
        MemoryMappedViewAccessor? view = null;
        byte* ptr = null;
        try
        {
            view = mmf.CreateViewAccessor(0, 0, MemoryMappedFileAccess.Read);
            view.SafeMemoryMappedViewHandle.AcquirePointer(ref ptr);
            ptr += view.PointerOffset;
            var header = ShardFormat.ReadHeader(new ReadOnlySpan<byte>(ptr, ShardFormat.HeaderSize), length, path);
            return new Shard { File = mmf, View = view, Base = ptr, Header = header, Path = path };
        }
        catch
        {
            if (ptr != null) view!.SafeMemoryMappedViewHandle.ReleasePointer();
            view?.Dispose();
            mmf.Dispose();
            throw;
        }
    }

    private static void ValidateIndex(Shard s)
    {
        long dataElements = (s.View.Capacity - s.Header.DataOffset) / 2;
        for (int j = 0; j < s.Header.Records; j++)
        {
            var (offset, samples, _) = Entry(s, j);
            if (offset < 0 || samples <= 0 || offset + (long)samples * s.Header.Leads > dataElements)
                throw new EcgFormatException(s.Path, $"index entry {j} points outside the data block (truncated file?)");
        }
    }

    private static (long Offset, int Samples, int Flags) Entry(Shard s, int j)
    {
        var e = new ReadOnlySpan<byte>(s.Base + s.Header.IndexOffset + (long)j * ShardFormat.IndexEntrySize, ShardFormat.IndexEntrySize);
        return (BinaryPrimitives.ReadInt64LittleEndian(e), BinaryPrimitives.ReadInt32LittleEndian(e[8..]), BinaryPrimitives.ReadInt32LittleEndian(e[12..]));
    }

    private static void ReadMetadata(string path, List<ShardRecordInfo> into)
    {
        int line = 0;
        foreach (var text in File.ReadLines(path))
        {
            line++;
            if (text.Length == 0) continue;
            try
            {
                using var doc = JsonDocument.Parse(text);
                var r = doc.RootElement;
                var labels = r.GetProperty("labels").EnumerateArray().Select(e => e.GetString() ?? "").ToArray();
                DatasetSplits.TryParse(r.GetProperty("split").GetString(), out var split);
                int? fold = r.TryGetProperty("fold", out var f) && f.ValueKind == JsonValueKind.Number ? f.GetInt32() : null;
                IReadOnlyDictionary<string, double> targets = EcgTextItem.EmptyTargets;
                if (r.TryGetProperty("targets", out var t) && t.ValueKind == JsonValueKind.Object && t.EnumerateObject().Any())
                    targets = t.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.ValueKind == JsonValueKind.Number ? p.Value.GetDouble() : double.NaN);
                into.Add(new ShardRecordInfo(r.GetProperty("id").GetString() ?? "", r.GetProperty("report").GetString() ?? "", labels,
                    r.GetProperty("patient_id").GetString() ?? "", split, fold, r.TryGetProperty("path", out var p) ? p.GetString() ?? "" : "", targets));
            }
            catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException)
            {
                throw new EcgFormatException(path, $"line {line}: {ex.Message}", ex);
            }
        }
    }

    private (Shard Shard, int Local) Locate(int i)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if ((uint)i >= (uint)_info.Length) throw new ArgumentOutOfRangeException(nameof(i), i, $"record index must be in 0..{_info.Length - 1}");
        int s = Array.BinarySearch(_shardStart, 0, _shards.Length, i);
        if (s < 0) s = ~s - 1;
        while (s + 1 < _shards.Length && _shardStart[s + 1] <= i) s++; // skip empty shards
        return (_shards[s], i - _shardStart[s]);
    }

    /// <summary>Samples per lead of record <paramref name="i"/>.</summary>
    public int SampleCount(int i)
    {
        var (s, j) = Locate(i);
        return Entry(s, j).Samples;
    }

    /// <summary>Sampling rate in Hz of the shard holding record <paramref name="i"/> (0 when it mixes rates).</summary>
    public double SamplingRate(int i) => Locate(i).Shard.Header.SamplingRate;

    /// <summary>
    /// Decodes record <paramref name="i"/> into <paramref name="destination"/> as float32 mV, lead-major
    /// ([leads, samples], canonical lead order), NaN where the source sample was invalid. Allocates nothing.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than Leads × SampleCount(i).</exception>
    public void ReadSamples(int i, Span<float> destination)
    {
        var (s, j) = Locate(i);
        var (offset, n, flags) = Entry(s, j);
        int leads = s.Header.Leads;
        if (destination.Length < leads * n) throw new ArgumentException($"destination has {destination.Length} elements, record {i} needs {leads * n}", nameof(destination));
        byte* data = s.Base + s.Header.DataOffset + offset * 2;
        float* scales = (float*)(s.Base + s.Header.ScalesOffset) + (long)j * leads;
        bool nan = (flags & ShardFormat.FlagHasNaN) != 0;
        for (int l = 0; l < leads; l++)
        {
            var dest = destination.Slice(l * n, n);
            float scale = scales[l];
            if (s.Header.Type == ShardSampleType.Int16)
                SampleCodec.DecodeInt16(new ReadOnlySpan<short>(data + (long)l * n * 2, n), scale, nan, dest);
            else
                SampleCodec.DecodeHalf(new ReadOnlySpan<Half>(data + (long)l * n * 2, n), scale, dest);
        }
    }

    /// <summary>
    /// Decodes the records <paramref name="indices"/> into one row-major batch <c>[indices.Length, leads, samples]</c>
    /// (float32 mV), e.g. for a training step. All records must have <paramref name="samples"/> samples per lead.
    /// </summary>
    /// <exception cref="ArgumentException">A record has another length, or <paramref name="destination"/> is too short.</exception>
    public void ReadBatch(ReadOnlySpan<int> indices, int samples, Span<float> destination)
    {
        int per = Leads * samples;
        if (destination.Length < indices.Length * per)
            throw new ArgumentException($"destination has {destination.Length} elements, the batch needs {indices.Length * per}", nameof(destination));
        for (int b = 0; b < indices.Length; b++)
        {
            int n = SampleCount(indices[b]);
            if (n != samples) throw new ArgumentException($"record {indices[b]} has {n} samples per lead, the batch expects {samples}", nameof(indices));
            ReadSamples(indices[b], destination.Slice(b * per, per));
        }
    }

    /// <summary>The per-lead scales of record <paramref name="i"/> (mV per stored unit); the int16 error bound per sample is scale/2.</summary>
    public void ReadScales(int i, Span<float> destination)
    {
        var (s, j) = Locate(i);
        new ReadOnlySpan<float>((float*)(s.Base + s.Header.ScalesOffset) + (long)j * s.Header.Leads, s.Header.Leads).CopyTo(destination);
    }

    /// <summary>Metadata of record <paramref name="i"/>.</summary>
    public ShardRecordInfo GetInfo(int i)
    {
        Locate(i);
        return _info[i];
    }

    /// <summary>The report of record <paramref name="i"/>.</summary>
    public string Report(int i) => GetInfo(i).Report;

    /// <summary>The split of record <paramref name="i"/>.</summary>
    public DatasetSplit Split(int i) => GetInfo(i).Split;

    /// <summary>The patient of record <paramref name="i"/>.</summary>
    public string PatientId(int i) => GetInfo(i).PatientId;

    /// <summary>Writes the multi-hot labels of record <paramref name="i"/> over <see cref="LabelSpace"/>.</summary>
    public void ReadLabels(int i, Span<float> destination) => LabelSpace.Encode(GetInfo(i).Labels, destination);

    /// <summary>Global indices of the records in <paramref name="split"/>, ascending.</summary>
    public int[] IndicesOf(DatasetSplit split)
    {
        var list = new List<int>();
        for (int i = 0; i < _info.Length; i++) if (_info[i].Split == split) list.Add(i);
        return [.. list];
    }

    /// <summary>Unmaps all shard files.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        foreach (var s in _shards) s.Dispose();
    }
}
