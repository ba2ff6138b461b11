using EcgClip.Core.Abstractions;
using EcgClip.Eval.Protocols;
using EcgClip.Signal.Datasets;

namespace EcgClip.Eval.Tests.Protocols;

public sealed class ProbeSplitsTests
{
    private static EcgTextItem Item(string id, DatasetSplit split, string patient, double? age, params string[] labels) =>
        new(id, "", "", labels, patient, split) { Targets = age is double a ? new Dictionary<string, double> { ["age"] = a } : new Dictionary<string, double>() };

    private static FeatureMatrix Rows(int n) => new(Enumerable.Range(0, n * 2).Select(i => (float)i).ToArray(), n, 2);

    [Fact]
    public void Classification_ItemsOfOneSplit_MultiHotTargetsAndDensePatientIds()
    {
        var space = new LabelSpace(["NORM", "MI"]);
        var items = new[] { Item("1", DatasetSplit.Test, "p7", null, "MI"), Item("2", DatasetSplit.Test, "p9", null), Item("3", DatasetSplit.Test, "p7", null, "NORM", "MI") };
        var split = ProbeSplits.Classification(Rows(3), items, space);
        Assert.Equal(DatasetSplit.Test, split.Split);
        Assert.Equal(TaskKind.Multilabel, split.Targets.Kind);
        Assert.Equal([0.0, 1, 0, 0, 1, 1], split.Targets.Values.ToArray());
        Assert.Equal([0L, 1, 0], split.PatientIds);
    }

    [Fact]
    public void AsTest_ExternalCohort_TaggedTestAndRefusedForSelection()
    {
        var items = new[] { Item("1", DatasetSplit.Train, "p", null, "A"), Item("2", DatasetSplit.Train, "q", null) };
        var external = ProbeSplits.Classification(Rows(2), items, new LabelSpace(["A"])).AsTest();
        Assert.Equal(DatasetSplit.Test, external.Split);
        var train = ProbeSplits.Classification(Rows(2), items, new LabelSpace(["A"]));
        Assert.Throws<ArgumentException>(() => new LinearProbe().Fit(train, external));
    }

    [Fact]
    public void Classification_MixedSplits_Throws()
    {
        var items = new[] { Item("1", DatasetSplit.Validation, "p", null), Item("2", DatasetSplit.Test, "q", null) };
        Assert.Throws<ArgumentException>(() => ProbeSplits.Classification(Rows(2), items, new LabelSpace(["A"])));
    }

    [Fact]
    public void Regression_MissingTargets_RowsLeftOutWithTheirEmbeddings()
    {
        var items = new[] { Item("1", DatasetSplit.Train, "a", 61), Item("2", DatasetSplit.Train, "b", null), Item("3", DatasetSplit.Train, "c", double.NaN), Item("4", DatasetSplit.Train, "d", 45) };
        var split = ProbeSplits.Regression(Rows(4), items, "age");
        Assert.Equal(2, split.Rows);
        Assert.Equal([61.0, 45], split.Targets.Values.ToArray());
        Assert.Equal([6f, 7f], split.Embeddings.Row(1).ToArray());
        var low = ProbeSplits.Threshold(Rows(4), items, "age", "age<50", a => a < 50);
        Assert.Equal([0.0, 1], low.Targets.Values.ToArray());
        Assert.Equal(TaskKind.Binary, low.Targets.Kind);
    }
}
