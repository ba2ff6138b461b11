using EcgClip.Eval.Bootstrap;
using EcgClip.Eval.Protocols;
using EcgClip.Signal.Datasets;

namespace EcgClip.Eval.Tests.Protocols;

public sealed class DataEfficiencyRunnerTests
{
    internal const int Dim = 8, Outputs = 3;

    /// <summary>Train / validation / test splits of one synthetic multi-label problem.</summary>
    internal static (ProbeSplit Train, ProbeSplit Val, ProbeSplit Test) Splits(int seed, int nTrain = 300, int nVal = 120, int nTest = 150)
    {
        int n = nTrain + nVal + nTest;
        var (x, y) = ProbeTestData.Synthetic(n, Dim, Outputs, seed);
        var all = ProbeTestData.Labels(DatasetSplit.Train, new FeatureMatrix(x, n, Dim), y.Select(v => (double)v).ToArray(), Outputs);
        ProbeSplit Part(DatasetSplit split, int from, int count)
        {
            var rows = Enumerable.Range(from, count).ToArray();
            return new ProbeSplit(split, all.Embeddings.SelectRows(rows), all.Targets.SelectRows(rows), rows.Select(r => (long)(r / 2)).ToArray());
        }
        return (Part(DatasetSplit.Train, 0, nTrain), Part(DatasetSplit.Validation, nTrain, nVal), Part(DatasetSplit.Test, nTrain + nVal, nTest));
    }

    private static readonly DataEfficiencyOptions s_options = new()
    {
        Fractions = [0.1, 1.0],
        Seeds = [0, 1, 2],
        Bootstrap = new BootstrapOptions(200, 5),
        Probe = new LinearProbeOptions { MaxDegreeOfParallelism = 1 },
    };

    [Fact]
    public void Run_SentinelTestFold_SelectionAndFitsUnchanged()
    {
        var (train, val, test) = Splits(11);
        // Sentinel: the test fold with labels flipped. Read as a validation fold it picks another C (checked below),
        // so if the runner let test rows into selection, the choices would move.
        var flipped = test.Targets.Values.ToArray().Select(v => (float)(1 - v)).ToArray();
        var sentinel = new ProbeSplit(DatasetSplit.Test, test.Embeddings, ProbeTargets.Multilabel(flipped, test.Targets.Names), test.PatientIds);
        var probe = new LinearProbe();
        double cVal = probe.Fit(train, val, s_options.Probe).SelectedStrength;
        double cSentinel = probe.Fit(train, new ProbeSplit(DatasetSplit.Validation, sentinel.Embeddings, sentinel.Targets), s_options.Probe).SelectedStrength;
        Assert.NotEqual(cVal, cSentinel);

        var runner = new DataEfficiencyRunner();
        var a = runner.Run("m", train, val, test, s_options);
        var b = runner.Run("m", train, val, sentinel, s_options);
        var runsA = a.Runs.ToArray();
        var runsB = b.Runs.ToArray();
        Assert.Equal(4, runsA.Length);
        for (int r = 0; r < runsA.Length; r++)
        {
            Assert.Equal(runsA[r].SelectedStrength, runsB[r].SelectedStrength);
            Assert.Equal(runsA[r].ValidationCurve, runsB[r].ValidationCurve);
            Assert.Equal(runsA[r].Test.Scores, runsB[r].Test.Scores); // same fit, same test embeddings
        }
        Assert.Equal(cVal, runsA[^1].SelectedStrength);
    }

    [Fact]
    public void Run_FractionsAndSeeds_SummariesAreMeanAndSdOfRuns()
    {
        var (train, val, test) = Splits(12);
        var result = new DataEfficiencyRunner().Run("m", train, val, test, s_options);
        Assert.Equal([0.1, 1.0], result.Fractions.Select(f => f.Fraction));
        var tenth = result.Fractions[0];
        Assert.Equal(3, tenth.Runs.Count);
        Assert.All(tenth.Runs, r => Assert.Equal(30, r.TrainingRows));
        var macro = tenth.Runs.Select(r => r.Ranking!.MacroAveragePrecision.Metric.Value!.Value).ToArray();
        double mean = macro.Average();
        Assert.Equal(mean, tenth.MacroAveragePrecision!.Mean, 12);
        Assert.Equal(Math.Sqrt(macro.Sum(v => (v - mean) * (v - mean)) / 2), tenth.MacroAveragePrecision.StandardDeviation, 12);
        var full = result.Fractions[1];
        Assert.Single(full.Runs);
        Assert.Equal(0, full.MacroAveragePrecision!.StandardDeviation);
        Assert.Equal(300, full.Runs[0].TrainingRows);
        var ci = full.Runs[0].Ranking!.MacroAveragePrecision.Interval!.Value;
        Assert.InRange(full.MacroAveragePrecision.Mean, ci.Lower, ci.Upper);
    }

    [Fact]
    public void Run_Regression_MaeWithIntervalBesideTrainingMeanBaseline()
    {
        var rng = new Random(4);
        int n = 400;
        var x = new float[n * Dim];
        var age = new double[n];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < Dim; j++) x[i * Dim + j] = (float)ProbeTestData.Normal(rng);
            age[i] = 55 + 8 * x[i * Dim] - 5 * x[i * Dim + 1] + 6 * ProbeTestData.Normal(rng);
        }
        var all = new ProbeSplit(DatasetSplit.Train, new FeatureMatrix(x, n, Dim), ProbeTargets.Regression(age, ["age"]));
        ProbeSplit Part(DatasetSplit s, int from, int count) { var rows = Enumerable.Range(from, count).ToArray(); var p = all.SelectRows(rows); return new ProbeSplit(s, p.Embeddings, p.Targets); }
        var train = Part(DatasetSplit.Train, 0, 250);
        var result = new DataEfficiencyRunner().Run("m", train, Part(DatasetSplit.Validation, 250, 70), Part(DatasetSplit.Test, 320, 80),
            s_options with { Fractions = [1.0] });
        var t = result.Runs.Single().Regression!.Targets.Single();
        double trainMean = age.Take(250).Average();
        Assert.Equal(trainMean, t.TrainingMean, 10);
        Assert.Equal(age.Skip(320).Average(a => Math.Abs(a - trainMean)), t.Baseline.MeanAbsoluteError, 10);
        Assert.True(t.Metrics.MeanAbsoluteError < t.Baseline.MeanAbsoluteError);
        Assert.InRange(t.Metrics.MeanAbsoluteError, t.MeanAbsoluteErrorInterval!.Value.Lower, t.MeanAbsoluteErrorInterval.Value.Upper);
        Assert.True(t.MeanAbsoluteErrorInterval.Value.Upper < t.BaselineMeanAbsoluteErrorInterval!.Value.Lower, "an informative probe beats the mean clearly");
        Assert.Equal("alpha", result.Runs.Single().StrengthName);
    }

    [Fact]
    public void Run_TestNotTaggedTest_Throws()
    {
        var (train, val, _) = Splits(13, 100, 50, 50);
        Assert.Throws<ArgumentException>(() => new DataEfficiencyRunner().Run("m", train, val, val, s_options));
    }
}
