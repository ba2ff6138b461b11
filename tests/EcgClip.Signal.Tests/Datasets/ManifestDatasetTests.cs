using EcgClip.Signal.Datasets;
using EcgClip.Signal.Records;
using EcgClip.Testing;

namespace EcgClip.Signal.Tests.Datasets;

public sealed class ManifestDatasetTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("manifest-test").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    private string Write(string csv)
    {
        string p = Path.Combine(_dir, "m.csv");
        File.WriteAllText(p, csv);
        return p;
    }

    private static string Rec(int id) => Path.Combine(TestPaths.PtbXl("records100", "00000"), $"{id:D5}_lr");

    [Fact]
    public void Load_LabelsTargetsAndGivenSplits_Parsed()
    {
        var p = Write($"path,report,patient_id,split,afib,lvef,site\n{Rec(1)},\"normal, sinus\",p1,train,0,55.5,a\n{Rec(2)}.hea,af,p2,test,1,,b\n");
        var ds = ManifestDataset.Load(p);
        Assert.Equal(["afib"], ds.LabelSpace.Names);
        Assert.Equal(["lvef"], ds.TargetNames);
        Assert.Equal(2, ds.Items.Count);
        Assert.Equal("normal, sinus", ds.Items[0].Report);
        Assert.Empty(ds.Items[0].Labels);
        Assert.Equal(["afib"], ds.Items[1].Labels);
        Assert.Equal(55.5, ds.Items[0].Targets["lvef"]);
        Assert.True(double.IsNaN(ds.Items[1].Targets["lvef"]));
        Assert.Equal(DatasetSplit.Test, ds.Items[1].Split);
        Assert.Equal(12, ds.LoadRecord(ds.Items[1]).Channels.Count);
    }

    [Fact]
    public void Load_NoSplitColumn_PatientLevelHashSplit()
    {
        var lines = new List<string> { "path,patient_id" };
        for (int i = 1; i <= 60; i++) lines.Add($"{Rec(i)},pat{i % 7}");
        var ds = ManifestDataset.Load(Write(string.Join("\n", lines)), new ManifestOptions { Seed = 5 });
        Assert.Equal(60, ds.Items.Count);
        Assert.All(ds.Items.GroupBy(i => i.PatientId), g => Assert.Single(g.Select(i => i.Split).Distinct()));
        var splitter = new SplitAssigner(5);
        Assert.All(ds.Items, i => Assert.Equal(splitter.Assign(i.PatientId), i.Split));
    }

    [Fact]
    public void Load_PartialSplits_HashedRowsFollowPatientsGivenSplit()
    {
        var ds = ManifestDataset.Load(Write($"path,patient_id,split\n{Rec(1)},p,test\n{Rec(2)},p,\n"));
        Assert.All(ds.Items, i => Assert.Equal(DatasetSplit.Test, i.Split));
    }

    [Fact]
    public void Load_PatientInTwoGivenSplits_Throws()
    {
        var ex = Assert.Throws<EcgFormatException>(() => ManifestDataset.Load(Write($"path,patient_id,split\n{Rec(1)},p,train\n{Rec(2)},p,test\n")));
        Assert.Contains("patient 'p'", ex.Reason);
    }

    [Fact]
    public void Load_MissingFile_SkippedWithReason()
    {
        var ds = ManifestDataset.Load(Write($"path\n{Rec(1)}\nnope/missing.hea\n"));
        Assert.Single(ds.Items);
        Assert.StartsWith("file not found", ds.Skipped.Single().Reason);
    }
}
