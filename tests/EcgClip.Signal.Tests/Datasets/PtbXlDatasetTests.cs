using EcgClip.Testing;
using EcgClip.Signal.Datasets;

namespace EcgClip.Signal.Tests.Datasets;

public class PtbXlDatasetTests
{
    private static string Root => TestPaths.PtbXl();

    private static readonly Lazy<Dictionary<string, string[]>> s_oracle = new(() =>
    {
        // Written by Fixtures/make_ptbxl_label_oracle.py (stdlib csv + ast.literal_eval), independent of the C# parser.
        var lines = File.ReadAllLines(TestPaths.Repo("tests", "EcgClip.Signal.Tests", "Datasets", "Fixtures", "ptbxl_labels_oracle.tsv"));
        return lines.Skip(1).Select(l => l.Split('\t')).ToDictionary(f => f[0]);
    });

    private static PtbXlDataset Load(PtbXlLabelSet set, int fs = 100) =>
        PtbXlDataset.Load(Root, new PtbXlOptions { LabelSet = set, SamplingRate = fs });

    [Theory]
    [InlineData(PtbXlLabelSet.All, 3)]
    [InlineData(PtbXlLabelSet.Diagnostic, 4)]
    [InlineData(PtbXlLabelSet.Subdiagnostic, 5)]
    [InlineData(PtbXlLabelSet.Superdiagnostic, 6)]
    [InlineData(PtbXlLabelSet.Form, 7)]
    [InlineData(PtbXlLabelSet.Rhythm, 8)]
    public void Load_EveryRow_LabelsEqualPythonOracle(PtbXlLabelSet set, int column)
    {
        var ds = Load(set);
        Assert.Equal(1999, ds.Items.Count);
        foreach (var item in ds.Items)
        {
            var expected = s_oracle.Value[item.Id][column];
            Assert.True(expected == string.Join(";", item.Labels), $"ecg_id {item.Id} {set}: expected '{expected}', got '{string.Join(";", item.Labels)}'");
        }
    }

    [Fact]
    public void Load_Row39HandChecked_LabelsMatchStatementTable()
    {
        // {'IMI': 15.0, 'LNGQT': 100.0, 'NST_': 100.0, 'DIG': 100.0, 'ABQRS': 0.0, 'SR': 0.0}; checked by hand in scp_statements.csv.
        Assert.Equal(["DIG", "IMI", "LNGQT", "NST_"], Load(PtbXlLabelSet.Diagnostic).Items.Single(i => i.Id == "39").Labels);
        Assert.Equal(["IMI", "NST_", "STTC"], Load(PtbXlLabelSet.Subdiagnostic).Items.Single(i => i.Id == "39").Labels);
        Assert.Equal(["MI", "STTC"], Load(PtbXlLabelSet.Superdiagnostic).Items.Single(i => i.Id == "39").Labels);
        Assert.Equal(["ABQRS", "DIG", "LNGQT", "NST_"], Load(PtbXlLabelSet.Form).Items.Single(i => i.Id == "39").Labels);
        Assert.Equal(["SR"], Load(PtbXlLabelSet.Rhythm).Items.Single(i => i.Id == "39").Labels);
    }

    [Fact]
    public void Load_Row1_FieldsMatchCsv()
    {
        var item = Load(PtbXlLabelSet.Superdiagnostic).Items[0];
        Assert.Equal("1", item.Id);
        Assert.Equal("15709", item.PatientId);
        Assert.Equal("sinusrhythmus periphere niederspannung", item.Report);
        Assert.Equal(3, item.Fold);
        Assert.Equal(DatasetSplit.Train, item.Split);
        Assert.EndsWith(Path.Combine("records100", "00000", "00001_lr"), item.RecordPath);
    }

    [Theory]
    [InlineData(PtbXlLabelSet.All, 71)]
    [InlineData(PtbXlLabelSet.Diagnostic, 44)]
    [InlineData(PtbXlLabelSet.Subdiagnostic, 23)]
    [InlineData(PtbXlLabelSet.Superdiagnostic, 5)]
    [InlineData(PtbXlLabelSet.Form, 19)]
    [InlineData(PtbXlLabelSet.Rhythm, 12)]
    public void Load_DefaultLabelSpace_HasBenchmarkClassCount(PtbXlLabelSet set, int count) =>
        Assert.Equal(count, Load(set).LabelSpace.Count);

    [Fact]
    public void Load_Superdiagnostic_LabelSpaceIsSortedClasses() =>
        Assert.Equal(["CD", "HYP", "MI", "NORM", "STTC"], Load(PtbXlLabelSet.Superdiagnostic).LabelSpace.Names);

    [Fact]
    public void Load_DefaultFolds_SplitCountsMatchStratFold()
    {
        var ds = Load(PtbXlLabelSet.Superdiagnostic);
        var folds = s_oracle.Value.Values.GroupBy(f => int.Parse(f[2])).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(folds[10], ds.ItemsIn(DatasetSplit.Test).Count);
        Assert.Equal(folds[9], ds.ItemsIn(DatasetSplit.Validation).Count);
        Assert.Equal(Enumerable.Range(1, 8).Sum(k => folds[k]), ds.ItemsIn(DatasetSplit.Train).Count);
    }

    [Fact]
    public void Load_StratFolds_NoPatientInTwoSplits()
    {
        var ds = Load(PtbXlLabelSet.Superdiagnostic);
        var byPatient = ds.Items.GroupBy(i => i.PatientId).Where(g => g.Select(i => i.Split).Distinct().Count() > 1).Select(g => g.Key).ToList();
        Assert.Empty(byPatient);
        Assert.Contains(ds.Items.GroupBy(i => i.PatientId), g => g.Count() > 1); // the check is not vacuous
    }

    [Fact]
    public void Load_CustomFolds_AreHonoured()
    {
        var ds = PtbXlDataset.Load(Root, new PtbXlOptions { ValidationFolds = [1], TestFolds = [2, 3] });
        Assert.All(ds.Items, i => Assert.Equal(i.Fold switch { 1 => DatasetSplit.Validation, 2 or 3 => DatasetSplit.Test, _ => DatasetSplit.Train }, i.Split));
    }

    [SharedDataFact("ptbxl/records500")]
    public void Load_500Hz_RowsWithoutFilesAreSkippedWithReason()
    {
        var ds = PtbXlDataset.Load(TestPaths.Shared("ptbxl"), new PtbXlOptions { LabelSet = PtbXlLabelSet.Superdiagnostic, SamplingRate = 500 });
        Assert.Equal(200, ds.Items.Count);
        Assert.Equal(1799, ds.Skipped.Count);
        Assert.All(ds.Skipped, s => Assert.StartsWith("file not found", s.Reason));
        Assert.Equal("201", ds.Skipped[0].Id);
        Assert.All(ds.Items, i => Assert.Contains("records500", i.RecordPath));
    }

    [Fact]
    public void Load_MinLikelihood_FiltersDiagnosticButKeepsRhythm()
    {
        var strict = PtbXlDataset.Load(Root, new PtbXlOptions { LabelSet = PtbXlLabelSet.Diagnostic, MinLikelihood = 50 });
        // Row 39: IMI has likelihood 15 → dropped; the others are 100.
        Assert.Equal(["DIG", "LNGQT", "NST_"], strict.Items.Single(i => i.Id == "39").Labels);
        var rhythm = PtbXlDataset.Load(Root, new PtbXlOptions { LabelSet = PtbXlLabelSet.Rhythm, MinLikelihood = 50 });
        Assert.Equal(["SR"], rhythm.Items.Single(i => i.Id == "39").Labels); // SR has likelihood 0 but is not filtered
    }

    [Fact]
    public void Load_DropUnlabeledAndMinLabelCount_MatchBenchmarkSelection()
    {
        var ds = PtbXlDataset.Load(Root, new PtbXlOptions { LabelSet = PtbXlLabelSet.Form, DropUnlabeled = true, MinLabelCount = 0 });
        int expected = s_oracle.Value.Values.Count(f => f[7].Length > 0);
        Assert.Equal(expected, ds.Items.Count);
        var present = s_oracle.Value.Values.SelectMany(f => f[7].Split(';', StringSplitOptions.RemoveEmptyEntries)).Distinct().Order(StringComparer.Ordinal);
        Assert.Equal(present, ds.LabelSpace.Names);
    }

    [Fact]
    public void LabelMatrix_Superdiagnostic_RowsAreMultiHotOfItemLabels()
    {
        var ds = Load(PtbXlLabelSet.Superdiagnostic);
        var m = ds.LabelMatrix(ds.Items);
        Assert.Equal(ds.Items.Count, m.Rows);
        Assert.Equal(5, m.Columns);
        int r39 = ds.Items.ToList().FindIndex(i => i.Id == "39");
        Assert.Equal([0f, 0f, 1f, 0f, 1f], m.Row(r39).ToArray()); // MI, STTC
        Assert.Equal(ds.Items.Sum(i => i.Labels.Count), m.PositiveCounts().Sum());
    }

    [Fact]
    public void Load_BadScpCodesAndMissingFile_SkippedOthersKept()
    {
        string dir = Directory.CreateTempSubdirectory("ptbxl-bad").FullName;
        try
        {
            File.Copy(Path.Combine(Root, "scp_statements.csv"), Path.Combine(dir, "scp_statements.csv"));
            Directory.CreateDirectory(Path.Combine(dir, "records100", "00000"));
            foreach (var ext in new[] { ".hea", ".dat" })
                File.Copy(Path.Combine(Root, "records100", "00000", "00001_lr" + ext), Path.Combine(dir, "records100", "00000", "00001_lr" + ext));
            var lines = File.ReadAllLines(Path.Combine(Root, "ptbxl_database.csv"));
            string bad = lines[2].Replace("{'NORM': 80.0, 'SBRAD': 0.0}", "{'NORM': 80.0, 'SBRAD' 0.0}");
            File.WriteAllLines(Path.Combine(dir, "ptbxl_database.csv"), [lines[0], lines[1], bad, lines[3]]);
            var ds = PtbXlDataset.Load(dir);
            Assert.Equal(["1"], ds.Items.Select(i => i.Id));
            Assert.Equal(2, ds.Skipped.Count);
            Assert.Contains("scp_codes", ds.Skipped.Single(s => s.Id == "2").Reason);
            Assert.StartsWith("file not found", ds.Skipped.Single(s => s.Id == "3").Reason);
        }
        finally { Directory.Delete(dir, true); }
    }

    [Theory]
    [InlineData("15709.0", "15709")]
    [InlineData(" 42 ", "42")]
    [InlineData("", "unknown")]
    [InlineData("abc", "abc")]
    public void NormalizePatientId_Variants_Normalized(string raw, string expected) =>
        Assert.Equal(expected, PtbXlDataset.NormalizePatientId(raw));
}
