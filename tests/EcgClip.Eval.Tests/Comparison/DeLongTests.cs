using EcgClip.Eval.Comparison;
using EcgClip.Eval.Tests.Fixtures;

namespace EcgClip.Eval.Tests.Comparison;

public sealed class DeLongTests
{
    [Fact]
    public void Compare_NumpyTranscriptionOfSunXu_MatchesWithin1e9()
    {
        // oracle: make_fixtures.py delong(), numpy + scipy.stats.rankdata, written from the paper's formulas
        foreach (var c in Oracle.Cases("delong"))
        {
            var r = DeLongTest.Compare(c.Doubles("scores_a"), c.Doubles("scores_b"), c.Bools("labels"));
            Assert.NotNull(r);
            Assert.Equal(c.GetProperty("auc_a").GetDouble(), r.AreaUnderRocA, 1e-9);
            Assert.Equal(c.GetProperty("auc_b").GetDouble(), r.AreaUnderRocB, 1e-9);
            Assert.Equal(c.GetProperty("variance").GetDouble(), r.Variance, 1e-12);
            Assert.Equal(c.GetProperty("z").GetDouble(), r.Z, 1e-7);
            Assert.Equal(c.GetProperty("p_value").GetDouble(), r.PValue, 1e-9);
        }
    }

    [Fact]
    public void Compare_IdenticalScores_PValueOne()
    {
        var s = new[] { 0.1, 0.4, 0.35, 0.8, 0.2 };
        var y = new[] { false, false, true, true, true };
        var r = DeLongTest.Compare(s, s, y)!;
        Assert.Equal(0, r.Difference);
        Assert.Equal(1, r.PValue);
    }

    [Fact]
    public void Compare_FewerThanTwoPerClass_ReturnsNull()
    {
        Assert.Null(DeLongTest.Compare(new[] { 0.1, 0.2, 0.3 }, new[] { 0.3, 0.2, 0.1 }, new[] { true, false, false }));
    }

    [Fact]
    public void MidRanks_Ties_AverageRanksAsScipy()
    {
        // scipy.stats.rankdata([3, 1, 3, 2, 3], method="average") == [4, 1, 4, 2, 4]
        Assert.Equal(new[] { 4.0, 1, 4, 2, 4 }, DeLongTest.MidRanks([3, 1, 3, 2, 3]));
    }
}
