using EcgClip.Core.Abstractions;
using EcgClip.Eval.Protocols;
using EcgClip.Eval.Tests.Fixtures;
using EcgClip.Signal.Datasets;
using Xunit.Abstractions;

namespace EcgClip.Eval.Tests.Protocols;

/// <summary>The probe against scikit-learn 1.2 (probe_oracle.json from scripts/oracles/eval_probe_oracle.py).</summary>
public sealed class LinearProbeTests(ITestOutputHelper output)
{
    /// <summary>Agreement with the converged optimum (sklearn newton-cholesky; scipy L-BFGS-B to a 1e-10 gradient for
    /// multinomial): probabilities within 1e-8 absolute.</summary>
    private const double ProbabilityTolerance = 1e-8;

    /// <summary>Agreement with sklearn's <c>LogisticRegression(solver="lbfgs")</c> itself, which stops on a relative-decrease
    /// rule (ftol = 64 eps) after ~10 iterations whatever its tol: probabilities within 1e-4 absolute.</summary>
    private const double LbfgsTolerance = 1e-4;

    /// <summary>Ridge predictions (target units ≈ 10¹–10²) within 1e-8 absolute: both are direct solves.</summary>
    private const double RidgeTolerance = 1e-8;

    [Fact]
    public void Fit_SklearnLogisticOneVsRest_ProbabilitiesMatch()
    {
        double worst = 0;
        foreach (var c in ProbeOracle.Root.GetProperty("logistic").EnumerateArray())
        {
            int outputs = c.Int("outputs");
            var xtr = ProbeTestData.Features(c, "x_train", c.Int("n_train"));
            var train = ProbeTestData.Labels(DatasetSplit.Train, xtr, c.Doubles("y_train"), outputs);
            var val = ProbeTestData.Labels(DatasetSplit.Validation, xtr, c.Doubles("y_train"), outputs);
            var xte = ProbeTestData.Features(c, "x_test", c.Int("n_test"));
            foreach (var fit in c.GetProperty("fits").EnumerateArray())
            {
                double cValue = fit.GetProperty("c").GetDouble();
                var probe = new LinearProbe().Fit(train, val, new LinearProbeOptions { InverseRegularization = [cValue] });
                var p = probe.Predict(xte);
                double diff = ProbeTestData.MaxAbsDiff(fit.Doubles("test_proba_exact"), p);
                double lbfgs = ProbeTestData.MaxAbsDiff(fit.Doubles("test_proba"), p);
                double coefDiff = ProbeTestData.MaxAbsDiff(fit.Doubles("coef_exact"), probe.StandardizedCoefficients.ToArray());
                output.WriteLine($"{c.GetProperty("name").GetString()} C={cValue}: max |Δp| = {diff:E2} (lbfgs {lbfgs:E2}), max |Δcoef| = {coefDiff:E2}");
                Assert.True(diff <= ProbabilityTolerance, $"C={cValue}: max |Δp| = {diff}");
                Assert.True(coefDiff <= 1e-7, $"C={cValue}: max |Δcoef| = {coefDiff}");
                Assert.True(lbfgs <= LbfgsTolerance, $"C={cValue}: max |Δp| vs lbfgs = {lbfgs}");
                worst = Math.Max(worst, diff);
            }
        }
        output.WriteLine($"worst max |Δp| = {worst:E2}");
    }

    [Fact]
    public void Fit_SklearnMultinomial_ProbabilitiesMatch()
    {
        foreach (var c in ProbeOracle.Root.GetProperty("multinomial").EnumerateArray())
        {
            int k = c.Int("classes");
            var names = Enumerable.Range(0, k).Select(a => $"class{a}").ToArray();
            var xtr = ProbeTestData.Features(c, "x_train", c.Int("n_train"));
            var targets = ProbeTargets.Multiclass(c.Ints("y_train"), names);
            var xte = ProbeTestData.Features(c, "x_test", c.Int("n_test"));
            foreach (var fit in c.GetProperty("fits").EnumerateArray())
            {
                double cValue = fit.GetProperty("c").GetDouble();
                var probe = new LinearProbe().Fit(new ProbeSplit(DatasetSplit.Train, xtr, targets), new ProbeSplit(DatasetSplit.Validation, xtr, targets),
                    new LinearProbeOptions { InverseRegularization = [cValue] });
                var p = probe.Predict(xte);
                double diff = ProbeTestData.MaxAbsDiff(fit.Doubles("test_proba_exact"), p);
                double lbfgs = ProbeTestData.MaxAbsDiff(fit.Doubles("test_proba"), p);
                output.WriteLine($"multinomial C={cValue}: max |Δp| = {diff:E2} (lbfgs {lbfgs:E2})");
                Assert.Equal(TaskKind.Multiclass, probe.Kind);
                Assert.True(diff <= ProbabilityTolerance, $"C={cValue}: max |Δp| = {diff}");
                Assert.True(lbfgs <= LbfgsTolerance, $"C={cValue}: max |Δp| vs lbfgs = {lbfgs}");
            }
        }
    }

    [Fact]
    public void Fit_SklearnRidge_PredictionsMatch()
    {
        foreach (var c in ProbeOracle.Root.GetProperty("ridge").EnumerateArray())
        {
            int t = c.Int("targets");
            var names = Enumerable.Range(0, t).Select(a => $"target{a}").ToArray();
            var xtr = ProbeTestData.Features(c, "x_train", c.Int("n_train"));
            var y = ProbeTargets.Regression(c.Doubles("y_train"), names);
            var xte = ProbeTestData.Features(c, "x_test", c.Int("n_test"));
            foreach (var fit in c.GetProperty("fits").EnumerateArray())
            {
                double alpha = fit.GetProperty("alpha").GetDouble();
                var probe = new LinearProbe().Fit(new ProbeSplit(DatasetSplit.Train, xtr, y), new ProbeSplit(DatasetSplit.Validation, xtr, y),
                    new LinearProbeOptions { RidgeAlphas = [alpha] });
                double diff = ProbeTestData.MaxAbsDiff(fit.Doubles("test_pred"), probe.Predict(xte));
                output.WriteLine($"ridge alpha={alpha}: max |Δŷ| = {diff:E2}");
                Assert.True(diff <= RidgeTolerance, $"alpha={alpha}: max |Δŷ| = {diff}");
            }
        }
    }

    [Fact]
    public void Fit_GridSearch_SelectsSklearnsBestValidationMacroPrauc()
    {
        var c = ProbeOracle.Root.GetProperty("selection");
        int outputs = c.Int("outputs");
        var train = ProbeTestData.Labels(DatasetSplit.Train, ProbeTestData.Features(c, "x_train", c.Int("n_train")), c.Doubles("y_train"), outputs);
        var val = ProbeTestData.Labels(DatasetSplit.Validation, ProbeTestData.Features(c, "x_val", c.Int("n_val")), c.Doubles("y_val"), outputs);
        var probe = new LinearProbe().Fit(train, val, new LinearProbeOptions { InverseRegularization = c.Doubles("cs") });
        var expected = c.Doubles("val_macro_ap");
        Assert.Equal(expected.Length, probe.ValidationCurve.Count);
        for (int g = 0; g < expected.Length; g++) Assert.Equal(expected[g], probe.ValidationCurve[g].Score, 9);
        Assert.Equal(c.GetProperty("selected_c").GetDouble(), probe.SelectedStrength);
        double diff = ProbeTestData.MaxAbsDiff(c.Doubles("test_proba"), probe.Predict(ProbeTestData.Features(c, "x_test", c.Int("n_test"))));
        Assert.True(diff <= ProbabilityTolerance, $"max |Δp| = {diff}");
    }

    [Fact]
    public void Fit_RidgeGridSearch_SelectsSklearnsLowestValidationMae()
    {
        var c = ProbeOracle.Root.GetProperty("ridge_selection");
        var train = new ProbeSplit(DatasetSplit.Train, ProbeTestData.Features(c, "x_train", c.Int("n_train")), ProbeTargets.Regression(c.Doubles("y_train"), ["age"]));
        var val = new ProbeSplit(DatasetSplit.Validation, ProbeTestData.Features(c, "x_val", c.Int("n_val")), ProbeTargets.Regression(c.Doubles("y_val"), ["age"]));
        var probe = new LinearProbe().Fit(train, val, new LinearProbeOptions { RidgeAlphas = c.Doubles("alphas") });
        Assert.Equal(c.GetProperty("selected_alpha").GetDouble(), probe.SelectedStrength);
        var expected = c.Doubles("alphas").Zip(c.Doubles("val_mae")).ToDictionary(p => p.First, p => p.Second);
        foreach (var point in probe.ValidationCurve) Assert.Equal(expected[point.Strength], point.Score, 8);

        var byR2 = new LinearProbe().Fit(train, val, new LinearProbeOptions { RidgeAlphas = c.Doubles("alphas"), RegressionSelection = RegressionSelection.RSquared });
        Assert.Equal(c.GetProperty("selected_alpha_r2").GetDouble(), byR2.SelectedStrength);
        var r2 = c.Doubles("alphas").Zip(c.Doubles("val_r2")).ToDictionary(p => p.First, p => p.Second);
        foreach (var point in byR2.ValidationCurve) Assert.Equal(r2[point.Strength], point.Score, 10);
    }

    [Fact]
    public void Fit_TestSplitPassedForSelection_Throws()
    {
        var (x, y) = ProbeTestData.Synthetic(40, 3, 1, 1);
        var features = new FeatureMatrix(x, 40, 3);
        var train = ProbeTestData.Labels(DatasetSplit.Train, features, y.Select(v => (double)v).ToArray(), 1);
        var test = ProbeTestData.Labels(DatasetSplit.Test, features, y.Select(v => (double)v).ToArray(), 1);
        var ex = Assert.Throws<ArgumentException>(() => new LinearProbe().Fit(train, test));
        Assert.Contains("validation", ex.Message);
        Assert.Throws<ArgumentException>(() => new LinearProbe().Fit(test, ProbeTestData.Labels(DatasetSplit.Validation, features, y.Select(v => (double)v).ToArray(), 1)));
    }

    [Fact]
    public void Fit_OutputWithoutTrainingPositives_PredictsZeroAndIsListed()
    {
        var (x, y) = ProbeTestData.Synthetic(60, 4, 2, 2);
        for (int i = 0; i < 60; i++) y[i * 2 + 1] = 0;
        var features = new FeatureMatrix(x, 60, 4);
        var labels = y.Select(v => (double)v).ToArray();
        var probe = new LinearProbe().Fit(ProbeTestData.Labels(DatasetSplit.Train, features, labels, 2), ProbeTestData.Labels(DatasetSplit.Validation, features, labels, 2));
        Assert.Equal(["y1"], probe.ConstantOutputs);
        var p = probe.Predict(features);
        for (int i = 0; i < 60; i++) Assert.Equal(0, p[i * 2 + 1]);
        Assert.Contains(p.Where((_, k) => k % 2 == 0), v => v is > 0 and < 1);
    }
}
