using System.Text.Json;
using EcgClip.Signal.Datasets;
using EcgClip.Signal.Records;
using EcgClip.Signal.Shards;

namespace EcgClip.Signal.Tests.Shards;

public sealed class ShardBuilderTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("shards-test").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private ShardBuildResult Build(IEcgTextDataset ds, ShardSampleType type = ShardSampleType.Int16, int perShard = 10, int? only = null, int? count = null) =>
        new ShardBuilder().Build(ds, new ShardBuildOptions { OutputDirectory = _dir, SampleType = type, RecordsPerShard = perShard, OnlyShard = only, ShardCount = count, Source = "synthetic:" });

    [Fact]
    public void Build_Int16_RoundTripWithinHalfScale()
    {
        var ds = new SyntheticDataset(25);
        var result = Build(ds);
        Assert.Equal([0, 1, 2], result.ShardsBuilt);
        Assert.True(result.Manifest.Complete);
        using var reader = ShardReader.Open(_dir, verifyChecksums: true);
        Assert.Equal(25, reader.Count);
        var buf = new float[12 * 1000];
        var scales = new float[12];
        for (int i = 0; i < reader.Count; i++)
        {
            reader.ReadSamples(i, buf);
            reader.ReadScales(i, scales);
            var rec = ds.Raw(i);
            for (int l = 0; l < 12; l++)
            {
                for (int t = 0; t < 1000; t++)
                {
                    double x = rec.Channels[l].Physical[t];
                    double bound = scales[l] / 2 + Math.Abs(x) * Math.Pow(2, -24) + 1e-12; // quantisation + float32 rounding
                    if (Math.Abs(buf[l * 1000 + t] - x) > bound) Assert.Fail($"record {i} lead {l} sample {t}: {buf[l * 1000 + t]} vs {x}");
                }
            }
        }
    }

    [Fact]
    public void Build_Float16_RoundTripWithinHalfPrecision()
    {
        var ds = new SyntheticDataset(5);
        Build(ds, ShardSampleType.Float16);
        using var reader = ShardReader.Open(_dir);
        var buf = new float[12 * 1000];
        var scales = new float[12];
        for (int i = 0; i < 5; i++)
        {
            reader.ReadSamples(i, buf);
            reader.ReadScales(i, scales);
            var rec = ds.Raw(i);
            for (int l = 0; l < 12; l++)
                for (int t = 0; t < 1000; t++)
                    Assert.True(Math.Abs(buf[l * 1000 + t] - rec.Channels[l].Physical[t]) <= scales[l] * Math.Pow(2, -11) * 1.01);
        }
    }

    [Fact]
    public void Build_MetadataAndLabels_RoundTrip()
    {
        var ds = new SyntheticDataset(12);
        Build(ds, perShard: 5);
        using var reader = ShardReader.Open(_dir);
        var labels = new float[3];
        for (int i = 0; i < 12; i++)
        {
            var item = ds.Items[i];
            var info = reader.GetInfo(i);
            Assert.Equal((item.Id, item.Report, item.PatientId, item.Split, item.Fold), (info.Id, info.Report, info.PatientId, info.Split, info.Fold));
            Assert.Equal(item.Labels, info.Labels);
            reader.ReadLabels(i, labels);
            Assert.Equal(ds.LabelSpace.Names.Select(n => item.Labels.Contains(n) ? 1f : 0f), labels);
        }
        Assert.Equal(ds.Items.Where(i => i.Split == DatasetSplit.Test).Select(i => int.Parse(i.Id)), reader.IndicesOf(DatasetSplit.Test));
    }

    [Fact]
    public void ReadBatch_Indices_EqualsPerRecordReads()
    {
        Build(new SyntheticDataset(12));
        using var reader = ShardReader.Open(_dir);
        int[] idx = [11, 0, 5, 10]; // spans several shards
        var batch = new float[idx.Length * 12000];
        reader.ReadBatch(idx, 1000, batch);
        var one = new float[12000];
        for (int b = 0; b < idx.Length; b++)
        {
            reader.ReadSamples(idx[b], one);
            Assert.Equal(one, batch.AsSpan(b * 12000, 12000).ToArray());
        }
        Assert.Throws<ArgumentException>(() => reader.ReadBatch(idx, 999, new float[idx.Length * 12 * 999]));
    }

    [Fact]
    public void Build_VariableLengthsShuffledLeadsAndNaN_DecodeCorrectly()
    {
        var ds = new SyntheticDataset(7, length: i => 50 + 37 * i, shuffledLeads: true, withNaN: true);
        Build(ds);
        using var reader = ShardReader.Open(_dir);
        for (int i = 0; i < 7; i++)
        {
            int n = reader.SampleCount(i);
            Assert.Equal(50 + 37 * i, n);
            var buf = new float[12 * n];
            reader.ReadSamples(i, buf);
            var rec = ds.LoadRecord(ds.Items[i]); // canonical order
            Assert.True(float.IsNaN(buf[5 * n + 7]));
            Assert.Equal(rec.Channels[11].Physical[3], buf[11 * n + 3], 3);
            Assert.Equal(0f, buf[3 * n + 1]); // flat lead
        }
        Assert.Throws<ArgumentException>(() => reader.ReadSamples(6, new float[10]));
        Assert.Throws<ArgumentOutOfRangeException>(() => reader.ReadSamples(7, new float[100000]));
    }

    [Fact]
    public void Build_Parallel_SameBytesAsSequential()
    {
        var ds = new SyntheticDataset(30, failing: [7]);
        var seq = Build(ds);
        var shaSeq = seq.Manifest.Shards.Select(s => (s.Samples.Sha256, s.Metadata.Sha256)).ToList();
        foreach (var f in Directory.GetFiles(_dir)) File.Delete(f);
        var par = new ShardBuilder().Build(ds, new ShardBuildOptions { OutputDirectory = _dir, RecordsPerShard = 10, Source = "synthetic:", MaxDegreeOfParallelism = 3 });
        Assert.Equal([0, 1, 2], par.ShardsBuilt);
        Assert.Equal(shaSeq, par.Manifest.Shards.Select(s => (s.Samples.Sha256, s.Metadata.Sha256)).ToList());
        Assert.Equal(seq.Skipped, par.Skipped);
    }

    [Fact]
    public void Open_EmptyShardInTheMiddle_GlobalIndicesSkipIt()
    {
        var ds = new SyntheticDataset(30, failing: Enumerable.Range(10, 10));
        var r = Build(ds);
        Assert.Equal(0, r.Manifest.Shards[1].Records);
        using var reader = ShardReader.Open(_dir, verifyChecksums: true);
        Assert.Equal(20, reader.Count);
        Assert.Equal("9", reader.GetInfo(9).Id);
        Assert.Equal("20", reader.GetInfo(10).Id);
        var buf = new float[12000];
        reader.ReadSamples(10, buf);
        Assert.Equal(ds.Raw(20).Channels[0].Physical[0], buf[0], 3);
    }

    [Fact]
    public void Open_NoManifest_ThrowsFileNotFound() =>
        Assert.Throws<FileNotFoundException>(() => ShardReader.Open(_dir));

    [Fact]
    public void Build_Rerun_IsNoOpAndFilesUntouched()
    {
        var ds = new SyntheticDataset(25);
        Build(ds);
        var stamps = Directory.GetFiles(_dir, "shard-*").ToDictionary(f => f, File.GetLastWriteTimeUtc);
        int loads = ds.Loads;
        var again = Build(ds);
        Assert.Empty(again.ShardsBuilt);
        Assert.Equal([0, 1, 2], again.ShardsUpToDate);
        Assert.Equal(loads, ds.Loads);
        Assert.All(stamps, kv => Assert.Equal(kv.Value, File.GetLastWriteTimeUtc(kv.Key)));
    }

    [Fact]
    public void Build_DeletedShard_RebuildsOnlyThatShard()
    {
        var ds = new SyntheticDataset(25);
        Build(ds);
        File.Delete(Path.Combine(_dir, ShardBuilder.FileNames(1, 3).Bin));
        var again = Build(ds);
        Assert.Equal([1], again.ShardsBuilt);
        Assert.Equal([0, 2], again.ShardsUpToDate);
        using var reader = ShardReader.Open(_dir, verifyChecksums: true);
        Assert.Equal(25, reader.Count);
    }

    [Fact]
    public void Build_CorruptedBytesOrManifestChecksum_RebuildsOnlyThatShard()
    {
        var ds = new SyntheticDataset(25);
        Build(ds);
        string bin = Path.Combine(_dir, ShardBuilder.FileNames(2, 3).Bin);
        var bytes = File.ReadAllBytes(bin);
        bytes[^1] ^= 0xFF;
        File.WriteAllBytes(bin, bytes);
        Assert.Equal([2], Build(ds).ShardsBuilt);

        string manifest = Path.Combine(_dir, ShardManifest.FileName);
        var m = ShardManifest.Load(_dir);
        string sha = m.Shards[0].Metadata.Sha256;
        File.WriteAllText(manifest, File.ReadAllText(manifest).Replace(sha, new string('0', 64)));
        Assert.Equal([0], Build(ds).ShardsBuilt);
    }

    [Fact]
    public void Build_FailingRecords_SkippedWithReasonOthersKept()
    {
        var ds = new SyntheticDataset(20, failing: [3, 11]);
        var r = Build(ds);
        Assert.Equal(18, r.Manifest.Records);
        Assert.Equal(["x", "3", "11"], r.Skipped.Select(s => s.Id));
        Assert.Equal("synthetic failure", r.Skipped[1].Reason);
        var csv = File.ReadAllLines(r.SkippedReportPath);
        Assert.Equal("id,path,reason", csv[0]);
        Assert.Contains("3,mem://3,synthetic failure", csv);
        using var reader = ShardReader.Open(_dir);
        Assert.DoesNotContain(Enumerable.Range(0, reader.Count), i => reader.GetInfo(i).Id is "3" or "11");
        Assert.Equal(18, reader.Count);
    }

    [Fact]
    public void Build_OnlyShardByWorkers_ManifestCompleteAfterAll()
    {
        var ds = new SyntheticDataset(9);
        var first = Build(ds, only: 1, count: 3);
        Assert.Equal([1], first.ShardsBuilt);
        Assert.False(first.Manifest.Complete);
        Build(ds, only: 0, count: 3);
        var last = Build(ds, only: 2, count: 3);
        Assert.True(last.Manifest.Complete);
        using var reader = ShardReader.Open(_dir);
        Assert.Equal(Enumerable.Range(0, 9).Select(i => i.ToString()), Enumerable.Range(0, 9).Select(i => reader.GetInfo(i).Id));
    }

    [Fact]
    public void Build_ChangedDataset_RebuildsAffectedShards()
    {
        Build(new SyntheticDataset(20));
        var r = Build(new SyntheticDataset(20, failing: []) , perShard: 10);
        Assert.Empty(r.ShardsBuilt);
        var bigger = Build(new SyntheticDataset(21), perShard: 10); // 3 shards now: new layout, all built
        Assert.Equal([0, 1, 2], bigger.ShardsBuilt);
    }

    [Fact]
    public void Open_TruncatedBin_ThrowsNamingFile()
    {
        Build(new SyntheticDataset(5));
        string bin = Path.Combine(_dir, ShardBuilder.FileNames(0, 1).Bin);
        using (var f = new FileStream(bin, FileMode.Open)) f.SetLength(f.Length - 100);
        var ex = Assert.ThrowsAny<EcgFormatException>(() => ShardReader.Open(_dir));
        Assert.Contains("shard-00000-of-00001.bin", ex.Path);
    }

    [Fact]
    public void Manifest_Json_HasChecksumsAndCounts()
    {
        Build(new SyntheticDataset(25));
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(_dir, ShardManifest.FileName)));
        var root = doc.RootElement;
        Assert.Equal(25, root.GetProperty("records").GetInt32());
        Assert.Equal(3, root.GetProperty("shard_count").GetInt32());
        Assert.Equal("int16", root.GetProperty("sample_type").GetString());
        Assert.Equal(64, root.GetProperty("shards")[0].GetProperty("samples").GetProperty("sha256").GetString()!.Length);
        Assert.Empty(Directory.GetFiles(_dir, "*.tmp-*"));
    }
}
