using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text.Json;
using EcgClip.Signal.Datasets;
using EcgClip.Signal.Records;

namespace EcgClip.Signal.Shards;

/// <summary>Writes one shard (samples .bin + metadata .jsonl) to temporary files and renames them into place.</summary>
internal static class ShardWriter
{
    public sealed record Written(ShardFile Samples, ShardFile Metadata, int Records, List<SkippedRecord> Skipped);

    /// <summary>
    /// Loads each item through <paramref name="dataset"/>, quantises it and writes <paramref name="binName"/> and
    /// <paramref name="jsonlName"/> in <paramref name="directory"/> atomically (temp file + rename). Items that fail to
    /// load (any exception other than cancellation) are skipped with the reason.
    /// </summary>
    public static Written Write(IEcgTextDataset dataset, IReadOnlyList<EcgTextItem> items, ShardSampleType type,
                                string directory, string binName, string jsonlName, CancellationToken ct)
    {
        const int leads = CanonicalLeads.Count;
        int capacity = items.Count;
        long indexOffset = ShardFormat.HeaderSize;
        long scalesOffset = indexOffset + (long)capacity * ShardFormat.IndexEntrySize;
        long dataOffset = ShardFormat.Align64(scalesOffset + (long)capacity * leads * sizeof(float));
        var index = new byte[capacity * ShardFormat.IndexEntrySize];
        var scales = new float[capacity * leads];
        var skipped = new List<SkippedRecord>();
        string binTmp = Path.Combine(directory, $"{binName}.tmp-{Environment.ProcessId}-{Guid.NewGuid():N}");
        string jsonlTmp = Path.Combine(directory, $"{jsonlName}.tmp-{Environment.ProcessId}-{Guid.NewGuid():N}");
        int stored = 0;
        double? fs = null;
        bool mixedFs = false;
        try
        {
            using (var bin = new FileStream(binTmp, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16))
            using (var jsonl = new FileStream(jsonlTmp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            using (var json = new Utf8JsonWriter(jsonl, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
            {
                bin.SetLength(dataOffset);
                bin.Position = dataOffset;
                long element = 0;
                short[] qbuf = [];
                Half[] hbuf = [];
                foreach (var item in items)
                {
                    ct.ThrowIfCancellationRequested();
                    EcgRecord record;
                    try
                    {
                        record = dataset.LoadRecord(item);
                        if (record.Channels.Count != leads) throw new EcgFormatException(item.RecordPath, $"expected {leads} canonical leads, got {record.Channels.Count}");
                        if (record.SampleCount == 0) throw new EcgFormatException(item.RecordPath, "record has no samples");
                    }
                    catch (Exception ex) when (ex is not (OperationCanceledException or OutOfMemoryException))
                    {
                        skipped.Add(new SkippedRecord(item.Id, item.RecordPath, Reason(item, ex)));
                        continue;
                    }
                    if (fs is null) fs = record.SamplingRate; else if (fs != record.SamplingRate) mixedFs = true;
                    int n = record.SampleCount;
                    int flags = 0;
                    for (int l = 0; l < leads; l++)
                    {
                        var ch = record.Channels[l];
                        ReadOnlySpan<double> x = ToMillivolts(ch);
                        if (type == ShardSampleType.Int16)
                        {
                            if (qbuf.Length < n) qbuf = new short[n];
                            scales[stored * leads + l] = SampleCodec.EncodeInt16(x, qbuf.AsSpan(0, n), out bool nan);
                            if (nan) flags |= ShardFormat.FlagHasNaN;
                            bin.Write(MemoryMarshal.AsBytes(qbuf.AsSpan(0, n)));
                        }
                        else
                        {
                            if (hbuf.Length < n) hbuf = new Half[n];
                            scales[stored * leads + l] = SampleCodec.EncodeHalf(x, hbuf.AsSpan(0, n));
                            bin.Write(MemoryMarshal.AsBytes(hbuf.AsSpan(0, n)));
                        }
                    }
                    var entry = index.AsSpan(stored * ShardFormat.IndexEntrySize, ShardFormat.IndexEntrySize);
                    BinaryPrimitives.WriteInt64LittleEndian(entry, element);
                    BinaryPrimitives.WriteInt32LittleEndian(entry[8..], n);
                    BinaryPrimitives.WriteInt32LittleEndian(entry[12..], flags);
                    element += (long)leads * n;
                    WriteMetadata(json, item, n);
                    json.Flush();
                    jsonl.WriteByte((byte)'\n');
                    stored++;
                }
                Span<byte> header = stackalloc byte[ShardFormat.HeaderSize];
                ShardFormat.WriteHeader(header, type, leads, stored, indexOffset, scalesOffset, dataOffset, mixedFs ? 0 : fs ?? 0);
                bin.Position = 0;
                bin.Write(header);
                bin.Position = indexOffset;
                bin.Write(index);
                bin.Position = scalesOffset;
                bin.Write(MemoryMarshal.AsBytes(scales.AsSpan()));
                bin.Flush(flushToDisk: true);
                jsonl.Flush(flushToDisk: true);
            }
            var samples = Describe(binTmp, binName);
            var metadata = Describe(jsonlTmp, jsonlName);
            File.Move(binTmp, Path.Combine(directory, binName), overwrite: true);
            File.Move(jsonlTmp, Path.Combine(directory, jsonlName), overwrite: true);
            return new Written(samples, metadata, stored, skipped);
        }
        finally
        {
            TryDelete(binTmp);
            TryDelete(jsonlTmp);
        }
    }

    private static string Reason(EcgTextItem item, Exception ex) => ex switch
    {
        EcgFormatException f when f.Path != item.RecordPath => $"{Path.GetFileName(f.Path)}: {f.Reason}",
        EcgFormatException f => f.Reason,
        FileNotFoundException fnf => $"file not found: {fnf.FileName ?? fnf.Message}",
        _ => $"{ex.GetType().Name}: {ex.Message}",
    };

    /// <summary>Samples in mV: µV channels are divided by 1000, V multiplied by 1000, anything else taken as mV.</summary>
    private static ReadOnlySpan<double> ToMillivolts(EcgChannel ch)
    {
        double f = ch.Units.Trim() switch
        {
            "uV" or "µV" or "μV" or "uv" or "microvolt" or "microvolts" => 1e-3,
            "V" or "v" or "volt" or "volts" => 1e3,
            _ => 1.0,
        };
        if (f == 1.0) return ch.Physical;
        var copy = new double[ch.Length];
        for (int i = 0; i < copy.Length; i++) copy[i] = ch.Physical[i] * f;
        return copy;
    }

    private static void WriteMetadata(Utf8JsonWriter w, EcgTextItem item, int samples)
    {
        w.Reset();
        w.WriteStartObject();
        w.WriteString("id", item.Id);
        w.WriteString("report", item.Report);
        w.WriteStartArray("labels");
        foreach (var l in item.Labels) w.WriteStringValue(l);
        w.WriteEndArray();
        w.WriteString("patient_id", item.PatientId);
        w.WriteString("split", DatasetSplits.ToName(item.Split));
        if (item.Fold is int fold) w.WriteNumber("fold", fold); else w.WriteNull("fold");
        w.WriteString("path", item.RecordPath);
        w.WriteNumber("samples", samples);
        w.WriteStartObject("targets");
        foreach (var (k, v) in item.Targets)
            if (double.IsFinite(v)) w.WriteNumber(k, v); else w.WriteNull(k);
        w.WriteEndObject();
        w.WriteEndObject();
    }

    internal static ShardFile Describe(string path, string name)
    {
        using var fsr = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        byte[] hash = SHA256.HashData(fsr);
        return new ShardFile(name, fsr.Length, Convert.ToHexStringLower(hash));
    }

    private static void TryDelete(string path)
    {
        try { if (File.Exists(path)) File.Delete(path); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
