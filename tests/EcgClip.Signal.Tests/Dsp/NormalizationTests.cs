using EcgClip.Signal.Dsp.Normalization;
using EcgClip.Signal.Dsp.Preprocessing;
using FsCheck;
using FsCheck.Fluent;

namespace EcgClip.Signal.Tests.Dsp;

public class NormalizationTests
{
    [FsCheck.Xunit.Property(MaxTest = 50)]
    public Property ZScore_Twice_EqualsOnce()
    {
        var gen = from n in Gen.Choose(2, 300) from seed in Gen.Choose(0, 100000) select (n, seed);
        return Prop.ForAll(gen.ToArbitrary(), t =>
        {
            var rng = new Random(t.seed);
            var x = Enumerable.Range(0, t.n).Select(_ => rng.NextDouble() * 10 - 3).ToArray();
            var once = new double[t.n];
            SignalNormalization.ZScore<double>(x, once);
            var twice = new double[t.n];
            SignalNormalization.ZScore<double>(once, twice);
            return once.Zip(twice).All(p => Math.Abs(p.First - p.Second) <= 1e-6);
        });
    }

    [Fact]
    public void MinMax_Record_MapsToUnitInterval()
    {
        double[] x = [3, -1, 5, 2];
        var y = new double[4];
        SignalNormalization.MinMax<double>(x, y);
        Assert.Equal(0, y.Min(), 12);
        Assert.Equal(1, y.Max(), 6);
    }

    [Fact]
    public void Robust_KnownValues_MatchNumpyQuantiles()
    {
        // numpy: median([1,2,3,4,100]) = 3, q25 = 2, q75 = 4 -> (x - 3) / (2 + 1e-8)
        double[] x = [1, 2, 3, 4, 100];
        var y = new double[5];
        SignalNormalization.Robust<double>(x, y);
        Assert.Equal((100 - 3) / (2 + 1e-8), y[4], 9);
        Assert.Equal(0, y[2], 12);
    }

    [Fact]
    public void Repair_Interpolate_FillsGapsLinearly()
    {
        double[] x = [double.NaN, 1, double.NaN, double.NaN, 4, double.PositiveInfinity];
        Assert.Equal(4, NonFinite.Repair<double>(x, NonFiniteRepair.Interpolate));
        Assert.Equal([1, 1, 2, 3, 4, 4], x);
    }

    [Fact]
    public void IndexOfFirst_Infinity_FoundAfterLongFiniteRun()
    {
        var x = new float[10000];
        x[9000] = float.NegativeInfinity;
        Assert.Equal(9000, NonFinite.IndexOfFirst<float>(x));
    }

    [Fact]
    public void CropOrPad_Shorter_ZeroPadsEnd()
    {
        var y = new float[5];
        SignalNormalization.CropOrPad<float>([1, 2, 3], y);
        Assert.Equal([1, 2, 3, 0, 0], y);
    }

    [Fact]
    public void DeriveLimbLeads_FromIAndII_MatchesEinthovenGoldberger()
    {
        float[] i = [1, 2], ii = [3, -1];
        var iii = new float[2]; var avr = new float[2]; var avl = new float[2]; var avf = new float[2];
        LeadOperations.DeriveLimbLeads<float>(i, ii, iii, avr, avl, avf);
        Assert.Equal([2, -3], iii);
        Assert.Equal([-2, -0.5f], avr);
        Assert.Equal([-0.5f, 2.5f], avl);
        Assert.Equal([2.5f, -2], avf);
    }

    [Fact]
    public void ResolveOrder_VendorNames_MapsToSourceIndices()
    {
        Assert.Equal([2, 0], LeadOperations.ResolveOrder(["I", "AVL", "v1"], ["V1", "lead I"]));
        var ex = Assert.Throws<ArgumentException>(() => LeadOperations.ResolveOrder(["I"], ["V6"]));
        Assert.Contains("V6", ex.Message);
    }

    [Fact]
    public void Select_Reorder_CopiesLeads()
    {
        float[] x = [1, 1, 2, 2, 3, 3];
        var y = new float[4];
        LeadOperations.Select<float>(x, y, 1, 3, 2, [2, 0]);
        Assert.Equal([3, 3, 1, 1], y);
    }
}
