using EcgClip.Signal.Datasets;
using EcgClip.Testing;

namespace EcgClip.Signal.Tests.Datasets;

public class CincDatasetTests
{
    private static string Scoring => TestPaths.Fixture("cinc2021_scoring");
    private static string Samples => TestPaths.Fixture("cinc2021_samples");

    [Fact]
    public void Load_ScoredClasses_26ClassesFrom30CodesWithOfficialMerges()
    {
        var c = CincScoredClasses.Load(Scoring);
        Assert.Equal(26, c.Classes.Count);
        Assert.Equal(30, c.Classes.Sum(k => k.Codes.Count));
        Assert.Equal("713427006|59118001", c.ClassOf("59118001"));
        Assert.Equal("713427006|59118001", c.ClassOf("713427006"));
        Assert.Equal("284470004|63593006", c.ClassOf("63593006"));
        Assert.Equal("427172004|17338001", c.ClassOf("17338001"));
        Assert.Equal("733534002|164909002", c.ClassOf("164909002"));
        Assert.Equal("CRBBB|RBBB", c.Classes.Single(k => k.Name == "713427006|59118001").Abbreviation);
        Assert.Null(c.ClassOf("67741000119109")); // unscored
        Assert.Equal("164889003", c.Classes[0].Name); // weights.csv order
    }

    [Fact]
    public void Load_Samples_LabelsFromDxHeaders()
    {
        var ds = CincDataset.Load(Samples, Scoring);
        Assert.Equal(50, ds.Items.Count);
        Assert.Empty(ds.Skipped);
        Assert.Equal(500.0, ds.SamplingRate);
        // E07500.hea: "# Dx: 67741000119109,426177001" → only sinus bradycardia is scored.
        var e = ds.Items.Single(i => i.Id == "E07500");
        Assert.Equal(["426177001"], e.Labels);
        Assert.Contains("sinus bradycardia", e.Report);
        // HR06002.hea: "# Dx: 426177001,426783006,713426002" (SB, NSR, IRBBB), all scored; weights.csv order.
        Assert.Equal(["713426002", "426783006", "426177001"], ds.Items.Single(i => i.Id == "HR06002").Labels);
        Assert.All(ds.Items, i => Assert.Equal(i.Id, i.PatientId));
    }

    [Fact]
    public void Load_SplitsAreDeterministicPerSeed()
    {
        var a = CincDataset.Load(Samples, Scoring, new CincOptions { Seed = 3 });
        var b = CincDataset.Load(Samples, Scoring, new CincOptions { Seed = 3 });
        Assert.Equal(a.Items.Select(i => i.Split), b.Items.Select(i => i.Split));
        var split = new SplitAssigner(3);
        Assert.All(a.Items, i => Assert.Equal(split.Assign(i.Id), i.Split));
    }

    [Fact]
    public void LoadRecord_AllSamples_TwelveCanonicalLeads5000Samples()
    {
        var ds = CincDataset.Load(Samples, Scoring);
        foreach (var item in ds.Items)
        {
            var rec = ds.LoadRecord(item);
            Assert.Equal(12, rec.Channels.Count);
            Assert.Equal(5000, rec.SampleCount);
        }
        var e = ds.LoadRecord(ds.Items.Single(i => i.Id == "E07500"));
        Assert.Equal(-68 / 1000.0, e.Channels[0].Physical[0], 9); // header initial value of lead I
    }

    [Fact]
    public void Load_BadHeaderAndMissingMat_SkippedWithReason()
    {
        string dir = Directory.CreateTempSubdirectory("cinc-bad").FullName;
        try
        {
            foreach (var ext in new[] { ".hea", ".mat" }) File.Copy(Path.Combine(Samples, "E07500" + ext), Path.Combine(dir, "E07500" + ext));
            File.Copy(Path.Combine(Samples, "E07501.hea"), Path.Combine(dir, "E07501.hea")); // no .mat
            File.WriteAllText(Path.Combine(dir, "E07502.hea"), "E07502 twelve 500 5000\n");
            var ds = CincDataset.Load(dir, Scoring);
            Assert.Equal(["E07500"], ds.Items.Select(i => i.Id));
            Assert.StartsWith("file not found", ds.Skipped.Single(s => s.Id == "E07501").Reason);
            Assert.Contains("malformed record line", ds.Skipped.Single(s => s.Id == "E07502").Reason);
        }
        finally { Directory.Delete(dir, true); }
    }
}
