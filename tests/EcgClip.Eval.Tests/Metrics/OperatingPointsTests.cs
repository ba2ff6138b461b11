using EcgClip.Eval.Metrics;
using EcgClip.Eval.Tests.Fixtures;

namespace EcgClip.Eval.Tests.Metrics;

public sealed class OperatingPointsTests
{
    [Fact]
    public void At_SklearnCases_RatesMatch()
    {
        foreach (var c in Oracle.Cases("thresholds"))
        {
            var m = OperatingPoints.At(c.Doubles("scores"), c.Bools("labels"), c.GetProperty("threshold").GetDouble());
            Assert.Equal(c.GetProperty("sensitivity").GetDouble(), m.Sensitivity!.Value, 12);
            Assert.Equal(c.GetProperty("specificity").GetDouble(), m.Specificity!.Value, 12);
            Assert.Equal(c.GetProperty("ppv").GetDouble(), m.PositivePredictiveValue!.Value, 12);
            Assert.Equal(c.GetProperty("npv").GetDouble(), m.NegativePredictiveValue ?? 0, 12);
            Assert.Equal(c.GetProperty("f1").GetDouble(), m.F1!.Value, 12);
        }
    }

    [Fact]
    public void MaxF1Threshold_BruteForce_NoThresholdBetter()
    {
        foreach (var c in Oracle.Cases("thresholds"))
        {
            var s = c.Doubles("scores");
            var y = c.Bools("labels");
            double t = OperatingPoints.MaxF1Threshold(s, y)!.Value;
            double best = OperatingPoints.At(s, y, t).F1!.Value;
            foreach (double other in s.Distinct())
                Assert.True(OperatingPoints.At(s, y, other).F1 <= best + 1e-15);
        }
    }

    [Fact]
    public void TargetSensitivityThreshold_ReachesTargetWithHighestThreshold()
    {
        var s = new[] { 0.9, 0.8, 0.7, 0.6, 0.5, 0.4 };
        var y = new[] { true, false, true, false, true, false };
        Assert.Equal(0.7, OperatingPoints.TargetSensitivityThreshold(s, y, 0.6));
        Assert.Equal(0.5, OperatingPoints.TargetSensitivityThreshold(s, y, 1.0));
        Assert.Null(OperatingPoints.TargetSensitivityThreshold(s, new bool[6], 0.9));
    }

    [Fact]
    public void At_NoCalledPositives_PpvNull()
    {
        var m = OperatingPoints.At(new[] { 0.1, 0.2 }, new[] { true, false }, 0.5);
        Assert.Null(m.PositivePredictiveValue);
        Assert.Equal(0.0, m.Sensitivity);
    }
}
