using EcgClip.Eval.Metrics;
using EcgClip.Eval.Tests.Fixtures;

namespace EcgClip.Eval.Tests.Metrics;

public sealed class CalibrationAndRegressionTests
{
    [Fact]
    public void Compute_SklearnCalibrationCurve_Matches()
    {
        foreach (var c in Oracle.Cases("calibration"))
        {
            var r = Calibration.Compute(c.Doubles("probabilities"), c.Bools("labels"), c.GetProperty("bins").GetInt32());
            Assert.Equal(c.GetProperty("brier").GetDouble(), r.BrierScore, 12);
            Assert.Equal(c.GetProperty("ece").GetDouble(), r.ExpectedCalibrationError, 12);
            var nonEmpty = r.Bins.Where(b => b.Count > 0).ToArray();
            Assert.Equal(c.Doubles("prob_true"), nonEmpty.Select(b => b.FractionPositive!.Value), new Tol(1e-12));
            Assert.Equal(c.Doubles("prob_pred"), nonEmpty.Select(b => b.MeanPredicted!.Value), new Tol(1e-12));
        }
    }

    [Fact]
    public void Compute_ProbabilityOutsideUnitInterval_Throws()
    {
        Assert.Throws<ArgumentException>(() => Calibration.Compute(new[] { 0.2, 1.5 }, new[] { true, false }));
    }

    [Fact]
    public void Compute_SklearnScipyRegression_Matches()
    {
        foreach (var c in Oracle.Cases("regression"))
        {
            var r = RegressionMetrics.Compute(c.Doubles("targets"), c.Doubles("predictions"));
            Assert.Equal(c.GetProperty("mae").GetDouble(), r.MeanAbsoluteError, 10);
            Assert.Equal(c.GetProperty("rmse").GetDouble(), r.RootMeanSquaredError, 10);
            Assert.Equal(c.GetProperty("r2").GetDouble(), r.RSquared, 10);
            Assert.Equal(c.GetProperty("pearson").GetDouble(), r.Pearson!.Value, 10);
            Assert.Equal(c.GetProperty("spearman").GetDouble(), r.Spearman!.Value, 10);
        }
    }

    [Fact]
    public void Compute_ConstantPredictions_CorrelationNull()
    {
        var r = RegressionMetrics.Compute(new[] { 1.0, 2, 3 }, new[] { 2.0, 2, 2 });
        Assert.Null(r.Pearson);
        Assert.Null(r.Spearman);
    }

    private sealed class Tol(double tolerance) : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) <= tolerance;
        public int GetHashCode(double obj) => 0;
    }
}
