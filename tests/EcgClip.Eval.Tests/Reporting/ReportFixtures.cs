using EcgClip.Eval.Bootstrap;
using EcgClip.Eval.Protocols;
using EcgClip.Eval.Reporting;
using EcgClip.Eval.Tests.Protocols;

namespace EcgClip.Eval.Tests.Reporting;

/// <summary>Two models on one synthetic task set: "informative" (the true features) and "noise" (random features).</summary>
internal static class ReportFixtures
{
    public static readonly BootstrapOptions Bootstrap = new(200, 9);

    public static readonly DataEfficiencyOptions Options = new()
    {
        Fractions = [0.1, 1.0],
        Seeds = [0, 1],
        Bootstrap = Bootstrap,
        Probe = new LinearProbeOptions { InverseRegularization = [0.01, 0.1, 1], MaxDegreeOfParallelism = 1 },
    };

    public static EvaluationReport TwoModels()
    {
        var (train, val, test) = DataEfficiencyRunnerTests.Splits(21);
        var runner = new DataEfficiencyRunner();
        var good = runner.Run("informative", train, val, test, Options);
        var bad = runner.Run("noise", Noise(train, 1), Noise(val, 2), Noise(test, 3), Options);
        var comparisons = new ModelComparer().CompareMatching(good, bad, Bootstrap);
        return new EvaluationReport("synthetic", "linear-probe", [good, bad], comparisons, Bootstrap);
    }

    public static ProbeSplit Noise(ProbeSplit split, int seed)
    {
        var rng = new Random(seed);
        var x = new float[split.Rows * split.Embeddings.Columns];
        for (int i = 0; i < x.Length; i++) x[i] = (float)ProbeTestData.Normal(rng);
        return new ProbeSplit(split.Split, new FeatureMatrix(x, split.Rows, split.Embeddings.Columns), split.Targets, split.PatientIds);
    }
}
