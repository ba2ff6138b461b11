using EcgClip.Eval.Protocols;
using EcgClip.Eval.Tests.Fixtures;
using EcgClip.Signal.Datasets;
using System.Text.Json;

namespace EcgClip.Eval.Tests.Protocols;

/// <summary>Builds probe splits from oracle cases and synthetic data.</summary>
internal static class ProbeTestData
{
    public static FeatureMatrix Features(JsonElement c, string name, int rows) =>
        new(c.Floats(name), rows, c.Int("d"));

    public static ProbeSplit Labels(DatasetSplit split, FeatureMatrix x, double[] labels, int outputs) =>
        new(split, x, ProbeTargets.Multilabel(labels.Select(v => (float)v).ToArray(), Enumerable.Range(0, outputs).Select(t => $"y{t}").ToArray()));

    public static double MaxAbsDiff(IReadOnlyList<double> a, IReadOnlyList<double> b)
    {
        Assert.Equal(a.Count, b.Count);
        double max = 0;
        for (int i = 0; i < a.Count; i++) max = Math.Max(max, Math.Abs(a[i] - b[i]));
        return max;
    }

    /// <summary>A synthetic multi-label problem: n rows, d features, outputs labels driven by a random linear model.</summary>
    public static (float[] X, float[] Y) Synthetic(int n, int d, int outputs, int seed, double signal = 2.0)
    {
        var rng = new Random(seed);
        var w = new double[d * outputs];
        for (int i = 0; i < w.Length; i++) w[i] = Normal(rng) / Math.Sqrt(d);
        var x = new float[n * d];
        var y = new float[n * outputs];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < d; j++) x[i * d + j] = (float)Normal(rng);
            for (int t = 0; t < outputs; t++)
            {
                double z = -1.0;
                for (int j = 0; j < d; j++) z += signal * x[i * d + j] * w[j * outputs + t];
                y[i * outputs + t] = rng.NextDouble() < 1 / (1 + Math.Exp(-z)) ? 1 : 0;
            }
        }
        return (x, y);
    }

    public static double Normal(Random rng) =>
        Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
}
