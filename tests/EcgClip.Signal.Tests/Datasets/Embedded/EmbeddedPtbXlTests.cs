using EcgClip.Signal.Datasets;
using EcgClip.Signal.Formats.Wfdb;
using EcgClip.Testing;

namespace EcgClip.Signal.Tests.Datasets.Embedded;

public sealed class EmbeddedPtbXlTests
{
    [Fact]
    public void Load_Default_AllRowsWithBenchmarkFoldsAndReports()
    {
        var ds = EmbeddedPtbXl.Load(); // located beside the test assembly, where the build copies it
        Assert.Equal(1999, ds.Items.Count);
        Assert.Empty(ds.Skipped);
        Assert.Equal(["CD", "HYP", "MI", "NORM", "STTC"], ds.LabelSpace.Names);
        var counts = ds.Items.GroupBy(i => i.Split).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(ds.Items.Count(i => i.Fold is >= 1 and <= 8), counts[DatasetSplit.Train]);
        Assert.Equal(ds.Items.Count(i => i.Fold == 9), counts[DatasetSplit.Validation]);
        Assert.Equal(ds.Items.Count(i => i.Fold == 10), counts[DatasetSplit.Test]);
        Assert.True(ds.Items.Count(i => i.Report.Length > 0) > 1990);
        var rec = ds.LoadRecord(ds.Items[0]);
        Assert.Equal(12, rec.Channels.Count);
        Assert.Equal(1000, rec.SampleCount);
        Assert.Equal(-119 / 1000.0, rec.Channels[0].Physical[0]); // SOURCE.md: first digital sample of 00001_lr lead I
    }

    [Fact]
    public void Load_500Hz_ThrowsSayingEmbeddedIs100HzOnly()
    {
        var ex = Assert.Throws<ArgumentException>(() => EmbeddedPtbXl.Load(new PtbXlOptions { SamplingRate = 500 }));
        Assert.Contains("100 Hz only", ex.Message);
    }

    [Fact]
    public void Load_MissingFolder_ThrowsListingWhereItLooked()
    {
        string dir = Path.Combine(Path.GetTempPath(), "ecgclip-no-such-" + Guid.NewGuid());
        var ex = Assert.Throws<FileNotFoundException>(() => EmbeddedPtbXl.Load(dir));
        Assert.Contains(dir, ex.Message);
    }

    [SharedDataFact("ptbxl/records100")]
    public void Pack_EveryRecord_DigitalValuesEqualPhysioNetWfdbFiles()
    {
        var pack = EcgPack.Open(Path.Combine(TestPaths.EmbeddedData, EmbeddedPtbXl.PackFileName));
        Assert.Equal(1999, pack.Count);
        foreach (string key in pack.Keys)
        {
            var wfdb = WfdbReader.Read(TestPaths.Shared(["ptbxl", .. (key + ".hea").Split('/')]));
            var packed = pack.Load(key);
            Assert.Equal(wfdb.SamplingRate, packed.SamplingRate);
            Assert.Equal(wfdb.Channels.Count, packed.Channels.Count);
            for (int c = 0; c < wfdb.Channels.Count; c++)
            {
                Assert.Equal(wfdb.Channels[c].Name, packed.Channels[c].Name);
                Assert.Equal(wfdb.Channels[c].Gain, packed.Channels[c].Gain);
                Assert.Equal(wfdb.Channels[c].Digital, packed.Channels[c].Digital);
                Assert.Equal(wfdb.Channels[c].Physical, packed.Channels[c].Physical);
            }
        }
        Assert.Equal(File.ReadAllBytes(TestPaths.Shared("ptbxl", "ptbxl_database.csv")), File.ReadAllBytes(Path.Combine(TestPaths.EmbeddedData, "ptbxl_database.csv")));
    }

    [SharedDataFact("ptbxl/records100")]
    public void Export_Record_DatBytesEqualPhysioNetFile()
    {
        string dir = Path.Combine(Path.GetTempPath(), "ecgclip-export-" + Guid.NewGuid());
        try
        {
            Assert.Equal(1999, EmbeddedPtbXlExport.Export(dir, TestPaths.EmbeddedData));
            foreach (string rec in new[] { "00000/00001_lr", "00000/00777_lr", "01000/01999_lr" })
                Assert.Equal(File.ReadAllBytes(TestPaths.Shared(["ptbxl", "records100", .. (rec + ".dat").Split('/')])),
                             File.ReadAllBytes(Path.Combine([dir, "records100", .. (rec + ".dat").Split('/')])));
            Assert.Throws<IOException>(() => EmbeddedPtbXlExport.Export(dir, TestPaths.EmbeddedData));
        }
        finally { if (Directory.Exists(dir)) Directory.Delete(dir, true); }
    }

    [Theory]
    [InlineData("embedded", "embedded", "")]
    [InlineData(" Embedded ", "embedded", "")]
    [InlineData("ptbxl:/data/ptbxl", "ptbxl", "/data/ptbxl")]
    [InlineData("MANIFEST:a.csv", "manifest", "a.csv")]
    public void Parse_KnownForms_KindAndPath(string spec, string kind, string path) => Assert.Equal((kind, path), EcgDatasetSource.Parse(spec));

    [Theory]
    [InlineData("foo:/x")]
    [InlineData("ptbxl:")]
    [InlineData("/just/a/path")]
    public void Parse_BadSpec_ThrowsNamingForms(string spec)
    {
        var ex = Assert.Throws<ArgumentException>(() => EcgDatasetSource.Parse(spec));
        Assert.Contains(spec.Trim(), ex.Message);
    }

    [Fact]
    public void Open_Embedded_SameItemsAsPtbXlFolder()
    {
        var embedded = EcgDatasetSource.Open("embedded", new EcgDatasetSourceOptions { LabelSet = PtbXlLabelSet.Rhythm });
        var folder = EcgDatasetSource.Open("ptbxl:" + TestPaths.PtbXl(), new EcgDatasetSourceOptions { LabelSet = PtbXlLabelSet.Rhythm });
        Assert.Equal(folder.Items.Select(i => (i.Id, i.Report, i.Split, string.Join(",", i.Labels))), embedded.Items.Select(i => (i.Id, i.Report, i.Split, string.Join(",", i.Labels))));
        var a = embedded.LoadRecord(embedded.Items[500]);
        var b = folder.LoadRecord(folder.Items[500]);
        for (int c = 0; c < 12; c++) Assert.Equal(b.Channels[c].Digital, a.Channels[c].Digital);
    }
}

public sealed class PtbXlTargetsTests
{
    [Fact]
    public void Load_AgeAndSexTargets_MatchTheCsvColumns()
    {
        var ds = EmbeddedPtbXl.Load();
        var table = CsvTable.Load(System.IO.Path.Combine(EcgClip.Testing.TestPaths.EmbeddedData, "ptbxl_database.csv"));
        int cId = table.Require("ecg_id"), cAge = table.Require("age"), cSex = table.Require("sex");
        var byId = table.Rows.ToDictionary(r => r[cId].Trim());
        foreach (var item in ds.Items)
        {
            var row = byId[item.Id];
            Assert.Equal(row[cAge].Trim().Length == 0 ? double.NaN : double.Parse(row[cAge], System.Globalization.CultureInfo.InvariantCulture), item.Targets["age"]);
            Assert.Equal(double.Parse(row[cSex], System.Globalization.CultureInfo.InvariantCulture), item.Targets["sex"]);
        }
        Assert.InRange(ds.Items.Average(i => i.Targets["sex"]), 0.3, 0.7);
    }

    [Theory]
    [InlineData("56.0", 56)]
    [InlineData("300", double.NaN)]
    [InlineData("", double.NaN)]
    [InlineData("x", double.NaN)]
    public void Age_Parses_PrivacyCodeAndJunkAreMissing(string raw, double expected) => Assert.Equal(expected, PtbXlDataset.Age(raw));
}
