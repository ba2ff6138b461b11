using EcgClip.Core.Abstractions;
using EcgClip.Eval.Protocols;
using EcgClip.Signal.Datasets;
using static TorchSharp.torch;

namespace EcgClip.Eval.Tests.Protocols;

public sealed class LinearProbeHeadsTests
{
    private static FeatureMatrix Shifted(int n, int d, int seed, out float[] raw)
    {
        var rng = new Random(seed);
        raw = new float[n * d];
        for (int i = 0; i < raw.Length; i++) raw[i] = (float)(3 + 2 * ProbeTestData.Normal(rng) * (1 + i % d)); // unstandardised
        return new FeatureMatrix(raw, n, d);
    }

    [Theory]
    [InlineData(TaskKind.Multilabel)]
    [InlineData(TaskKind.Multiclass)]
    [InlineData(TaskKind.Regression)]
    public void ToTaskHead_PredictOnRawEmbeddings_MatchesProbe(TaskKind kind)
    {
        int n = 120, d = 5;
        var x = Shifted(n, d, 3, out var raw);
        ProbeTargets targets = kind switch
        {
            TaskKind.Multilabel => ProbeTargets.Multilabel(Enumerable.Range(0, n * 2).Select(i => (float)((raw[(i / 2) * d + i % 2] > 3 ? 1 : 0))).ToArray(), ["a", "b"]),
            TaskKind.Multiclass => ProbeTargets.Multiclass(Enumerable.Range(0, n).Select(i => raw[i * d] > 5 ? 2 : raw[i * d] > 1 ? 1 : 0).ToArray(), ["x", "y", "z"]),
            _ => ProbeTargets.Regression(Enumerable.Range(0, n).Select(i => 2.0 * raw[i * d + 1] - raw[i * d + 3]).ToArray(), ["v"]),
        };
        var probe = new LinearProbe().Fit(new ProbeSplit(DatasetSplit.Train, x, targets), new ProbeSplit(DatasetSplit.Validation, x, targets));
        var expected = probe.Predict(x);
        using var scope = NewDisposeScope();
        using var head = probe.ToTaskHead();
        Assert.Equal(kind, head.Kind);
        var actual = head.Predict(tensor(raw, [n, d])).to_type(ScalarType.Float64).data<double>().ToArray();
        double scale = kind == TaskKind.Regression ? expected.Max(Math.Abs) : 1;
        for (int i = 0; i < expected.Length; i++) Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-4 * scale, $"{i}: {expected[i]} vs {actual[i]}");
    }
}
