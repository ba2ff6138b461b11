using System.Text.Json;
using EcgClip.Cli.Infrastructure;
using EcgClip.Signal.Formats.Wfdb;
using EcgClip.Signal.Shards;
using EcgClip.Testing;

namespace EcgClip.Cli.Tests.Dataset;

/// <summary>One full PTB-XL (100 Hz, 1999 records) build shared by the tests of <see cref="DatasetBuildCommandTests"/>.</summary>
public sealed class PtbXlShardFixture : IDisposable
{
    public PtbXlShardFixture()
    {
        Out = Directory.CreateTempSubdirectory("ptbxl-shards").FullName;
        ExitCode = DatasetBuildCommandTests.Invoke("dataset", "build", "--source", "ptbxl:" + TestPaths.PtbXl(), "--out", Out, "--json");
    }

    public string Out { get; }
    public int ExitCode { get; }

    public void Dispose() => Directory.Delete(Out, recursive: true);
}

public sealed class DatasetBuildCommandTests : IClassFixture<PtbXlShardFixture>
{
    private readonly PtbXlShardFixture _built;

    public DatasetBuildCommandTests(PtbXlShardFixture built) => _built = built;

    internal static int Invoke(params string[] args) => CommandCatalog.BuildRoot().Parse(args).Invoke();

    private static Dictionary<string, DateTime> Stamps(string dir) =>
        Directory.GetFiles(dir, "shard-*").ToDictionary(f => Path.GetFileName(f), f => File.GetLastWriteTimeUtc(f));

    private static string CopyOf(string dir)
    {
        string copy = Directory.CreateTempSubdirectory("ptbxl-shards-copy").FullName;
        foreach (var f in Directory.GetFiles(dir)) File.Copy(f, Path.Combine(copy, Path.GetFileName(f)));
        return copy;
    }

    [Fact]
    public void Build_SharedPtbXl100Hz_AllRecordsInFourCompleteShards()
    {
        Assert.Equal(0, _built.ExitCode);
        var m = ShardManifest.Load(_built.Out);
        Assert.True(m.Complete);
        Assert.Equal(4, m.ShardCount);
        Assert.Equal(1999, m.Records);
        Assert.Equal(0, m.SkippedRecords);
        Assert.Equal(["CD", "HYP", "MI", "NORM", "STTC"], m.Labels);
        Assert.Equal(["I", "II", "III", "aVR", "aVL", "aVF", "V1", "V2", "V3", "V4", "V5", "V6"], m.Leads);
        using var reader = ShardReader.Open(_built.Out, verifyChecksums: true);
        Assert.Equal(1999, reader.Count);
        Assert.Equal("1", reader.GetInfo(0).Id);
        Assert.Equal("1999", reader.GetInfo(1998).Id);
    }

    [Fact]
    public void Build_RoundTrip_EverySampleWithinHalfScaleOfWfdb()
    {
        using var reader = ShardReader.Open(_built.Out);
        var buf = new float[12 * 1000];
        var scales = new float[12];
        string root = TestPaths.PtbXl();
        double worst = 0;
        for (int i = 0; i < reader.Count; i++)
        {
            var info = reader.GetInfo(i);
            var rec = WfdbReader.Read(info.SourcePath); // PTB-XL stores leads in canonical order already
            Assert.Equal(1000, reader.SampleCount(i));
            reader.ReadSamples(i, buf);
            reader.ReadScales(i, scales);
            for (int l = 0; l < 12; l++)
            {
                // Bound: scale/2 (int16 quantisation) + float32 rounding of the decoded product (|x|·2^-24 ≤ 0.002·scale).
                var x = rec.Channels[l].Physical;
                for (int t = 0; t < 1000; t++)
                {
                    double err = Math.Abs(buf[l * 1000 + t] - x[t]);
                    double bound = scales[l] / 2 + Math.Abs(x[t]) * Math.Pow(2, -24) + 1e-12;
                    if (err > bound) Assert.Fail($"{info.Id} lead {l} t {t}: |{buf[l * 1000 + t]} - {x[t]}| = {err} > {bound}");
                    worst = Math.Max(worst, err / scales[l]);
                }
            }
        }
        Assert.True(worst <= 0.5 + 32767 * Math.Pow(2, -24), $"worst error {worst} × scale");
        Assert.StartsWith(root, reader.GetInfo(0).SourcePath);
    }

    [Fact]
    public void Build_Rerun_IsNoOp()
    {
        string dir = CopyOf(_built.Out);
        try
        {
            var before = Stamps(dir);
            Assert.Equal(0, Invoke("dataset", "build", "--source", "ptbxl:" + TestPaths.PtbXl(), "--out", dir));
            Assert.Equal(before, Stamps(dir));
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void Build_DeletedShardAndCorruptChecksum_RebuildsOnlyThoseShards()
    {
        string dir = CopyOf(_built.Out);
        try
        {
            var before = Stamps(dir);
            File.Delete(Path.Combine(dir, "shard-00001-of-00004.bin"));
            string manifest = Path.Combine(dir, "manifest.json");
            string sha = ShardManifest.Load(dir).Shards[3].Samples.Sha256;
            File.WriteAllText(manifest, File.ReadAllText(manifest).Replace(sha, new string('f', 64)));
            Thread.Sleep(20);
            Assert.Equal(0, Invoke("dataset", "build", "--source", "ptbxl:" + TestPaths.PtbXl(), "--out", dir));
            var after = Stamps(dir);
            foreach (var name in new[] { "shard-00000-of-00004.bin", "shard-00002-of-00004.bin", "shard-00000-of-00004.json", "shard-00002-of-00004.json" })
                Assert.Equal(before[name], after[name]);
            Assert.NotEqual(before["shard-00003-of-00004.json"], after["shard-00003-of-00004.json"]);
            var m = ShardManifest.Load(dir);
            Assert.True(m.Complete);
            Assert.Equal(sha, m.Shards[3].Samples.Sha256); // rebuilt deterministically: same bytes
            using var reader = ShardReader.Open(dir, verifyChecksums: true);
            Assert.Equal(1999, reader.Count);
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void Build_BadSourceRecords_SkippedAndListedGoodOnesKept()
    {
        string src = Directory.CreateTempSubdirectory("ptbxl-badsrc").FullName;
        string outDir = Path.Combine(src, "out");
        try
        {
            string root = TestPaths.PtbXl();
            File.Copy(Path.Combine(root, "scp_statements.csv"), Path.Combine(src, "scp_statements.csv"));
            var lines = File.ReadAllLines(Path.Combine(root, "ptbxl_database.csv"));
            File.WriteAllLines(Path.Combine(src, "ptbxl_database.csv"), lines.Take(7)); // ecg_id 1..6
            string recDir = Path.Combine(src, "records100", "00000");
            Directory.CreateDirectory(recDir);
            for (int id = 1; id <= 6; id++)
                foreach (var ext in new[] { ".hea", ".dat" })
                    File.Copy(Path.Combine(root, "records100", "00000", $"{id:D5}_lr{ext}"), Path.Combine(recDir, $"{id:D5}_lr{ext}"));
            string dat2 = Path.Combine(recDir, "00002_lr.dat");
            File.WriteAllBytes(dat2, File.ReadAllBytes(dat2)[..5000]);                           // truncated .dat
            File.Delete(Path.Combine(recDir, "00003_lr.dat"));                                   // missing file
            File.WriteAllText(Path.Combine(recDir, "00004_lr.hea"), "00004_lr twelve 100 1000\n"); // bad header

            Assert.Equal(0, Invoke("dataset", "build", "--source", "ptbxl:" + src, "--out", outDir, "--json"));
            var m = ShardManifest.Load(outDir);
            Assert.Equal(3, m.Records);
            using var reader = ShardReader.Open(outDir, verifyChecksums: true);
            Assert.Equal(["1", "5", "6"], Enumerable.Range(0, reader.Count).Select(i => reader.GetInfo(i).Id));
            var csv = File.ReadAllLines(Path.Combine(outDir, "skipped.csv"));
            Assert.Equal("id,path,reason", csv[0]);
            var rows = csv.Skip(1).ToDictionary(l => l.Split(',')[0]);
            Assert.Equal(["2", "3", "4"], rows.Keys.Order());
            Assert.Contains("file not found", rows["3"]);
            Assert.DoesNotContain(",,", rows["2"]); // every row has a reason
            Assert.All(rows.Values, r => Assert.True(r.Split(',', 3)[2].Length > 3, r));
            using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "manifest.json")));
            Assert.Equal(3, doc.RootElement.GetProperty("skipped_records").GetInt32());
        }
        finally { Directory.Delete(src, true); }
    }

    [Fact]
    public void Build_CsvManifest_LabelsTargetsAndMissingFileReported()
    {
        string dir = Directory.CreateTempSubdirectory("manifest-shards").FullName;
        try
        {
            string rec = Path.Combine(TestPaths.PtbXl("records100", "00000"), "0000");
            File.WriteAllText(Path.Combine(dir, "m.csv"),
                $"path,report,patient_id,split,afib,lvef\n{rec}1_lr,\"normal, ok\",a,train,0,60\n{rec}2_lr,af,b,test,1,35.5\nmissing/x.hea,x,c,val,0,\n");
            string outDir = Path.Combine(dir, "out");
            Assert.Equal(0, Invoke("dataset", "build", "--source", "manifest:" + Path.Combine(dir, "m.csv"), "--out", outDir));
            using var reader = ShardReader.Open(outDir, verifyChecksums: true);
            Assert.Equal(2, reader.Count);
            Assert.Equal(["afib"], reader.LabelSpace.Names);
            Assert.Equal(["afib"], reader.GetInfo(1).Labels);
            Assert.Equal(35.5, reader.GetInfo(1).Targets["lvef"]);
            Assert.Equal("normal, ok", reader.Report(0));
            Assert.Contains("file not found", File.ReadAllText(Path.Combine(outDir, "skipped.csv")));
        }
        finally { Directory.Delete(dir, true); }
    }

    [Theory]
    [InlineData("--dtype", "int8")]
    [InlineData("--shard", "4/4")]
    [InlineData("--labels", "nonsense")]
    [InlineData("--fs", "250")]
    public void Build_InvalidArgument_ExitsBadInput(string option, string value)
    {
        string dir = Directory.CreateTempSubdirectory("ptbxl-badarg").FullName;
        try
        {
            Assert.Equal(ExitCodes.BadInput, Invoke("dataset", "build", "--source", "ptbxl:" + TestPaths.PtbXl(), "--out", dir, option, value));
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void Build_UnknownSourceKind_ExitsBadInput() =>
        Assert.Equal(ExitCodes.BadInput, Invoke("dataset", "build", "--source", "foo:/x", "--out", Path.GetTempPath()));

    [Fact]
    public void Build_CincSamples_AllFiftyRecordsWithScoredLabels()
    {
        string dir = Directory.CreateTempSubdirectory("cinc-shards").FullName;
        try
        {
            Assert.Equal(0, Invoke("dataset", "build", "--source", "cinc:" + TestPaths.Fixture("cinc2021_samples"), "--out", dir, "--dtype", "float16"));
            using var reader = ShardReader.Open(dir, verifyChecksums: true);
            Assert.Equal(50, reader.Count);
            Assert.Equal(26, reader.LabelSpace.Count);
            Assert.Equal(5000, reader.SampleCount(0));
        }
        finally { Directory.Delete(dir, true); }
    }
}
