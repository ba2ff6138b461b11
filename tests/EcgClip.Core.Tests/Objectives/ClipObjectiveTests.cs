using EcgClip.Core.Native;
using EcgClip.Core.Objectives;
using FsCheck;
using FsCheck.Fluent;
using TorchSharp;
using static TorchSharp.torch;

namespace EcgClip.Core.Tests.Objectives;

public sealed class ClipObjectiveTests
{
    public ClipObjectiveTests() => TorchNativeLoader.EnsureLoaded().ThrowIfFailed();

    /// <summary>CLIP loss written out in doubles from the formula (softmax cross-entropy both ways).</summary>
    private static double Reference(double[,] e, double[,] t, double scale)
    {
        int n = e.GetLength(0), d = e.GetLength(1);
        double[,] en = Normalize(e), tn = Normalize(t);
        var logits = new double[n, n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
            {
                double s = 0;
                for (int k = 0; k < d; k++) s += en[i, k] * tn[j, k];
                logits[i, j] = scale * s;
            }
        double rows = 0, cols = 0;
        for (int i = 0; i < n; i++)
        {
            double mr = double.NegativeInfinity, mc = double.NegativeInfinity;
            for (int j = 0; j < n; j++) { mr = Math.Max(mr, logits[i, j]); mc = Math.Max(mc, logits[j, i]); }
            double sr = 0, sc = 0;
            for (int j = 0; j < n; j++) { sr += Math.Exp(logits[i, j] - mr); sc += Math.Exp(logits[j, i] - mc); }
            rows += -(logits[i, i] - mr - Math.Log(sr));
            cols += -(logits[i, i] - mc - Math.Log(sc));
        }
        return 0.5 * (rows / n + cols / n);
    }

    private static double[,] Normalize(double[,] x)
    {
        int n = x.GetLength(0), d = x.GetLength(1);
        var y = new double[n, d];
        for (int i = 0; i < n; i++)
        {
            double norm = 0;
            for (int k = 0; k < d; k++) norm += x[i, k] * x[i, k];
            norm = Math.Max(Math.Sqrt(norm), 1e-12);
            for (int k = 0; k < d; k++) y[i, k] = x[i, k] / norm;
        }
        return y;
    }

    private static double[,] Random2D(System.Random rng, int n, int d)
    {
        var a = new double[n, d];
        for (int i = 0; i < n; i++) for (int k = 0; k < d; k++) a[i, k] = rng.NextDouble() * 2 - 1;
        return a;
    }

    private static Tensor ToTensor(double[,] a) => tensor(a, float64);

    [Fact]
    public void Compute_IdenticalEmbeddings_ReturnsLogBatchSize()
    {
        using var objective = new ClipObjective();
        using var scope = NewDisposeScope();
        var e = ones(8, 16);
        var result = objective.Compute(e, e.clone());
        Assert.Equal(Math.Log(8), result.Loss.item<float>(), 5);
    }

    [Fact]
    public void Compute_RandomEmbeddings_MatchesFormula()
    {
        var rng = new System.Random(7);
        double[,] e = Random2D(rng, 6, 5), t = Random2D(rng, 6, 5);
        using var objective = new ClipObjective(initialTemperature: 0.07);
        objective.to(float64);
        using var scope = NewDisposeScope();
        var result = objective.Compute(ToTensor(e), ToTensor(t));
        // The scale parameter is stored in float32, so the reference uses the scale actually in effect.
        Assert.Equal(Reference(e, t, result.Terms["logit_scale"].to_type(ScalarType.Float64).item<double>()), result.Loss.item<double>(), 9);
        Assert.Equal(1 / 0.07, result.Terms["logit_scale"].to_type(ScalarType.Float64).item<double>(), 4);
        Assert.InRange(result.Terms["accuracy"].to_type(ScalarType.Float64).item<double>(), 0, 1);
    }

    [Fact]
    public void Compute_SwappedModalities_SameLoss()
    {
        Prop.ForAll(Gen.Choose(2, 9).SelectMany(n => Gen.Choose(1, 1_000_000).Select(seed => (n, seed))).ToArbitrary(), t =>
        {
            var rng = new System.Random(t.seed);
            double[,] e = Random2D(rng, t.n, 4), x = Random2D(rng, t.n, 4);
            using var objective = new ClipObjective();
            objective.to(float64);
            using var scope = NewDisposeScope();
            double a = objective.Compute(ToTensor(e), ToTensor(x)).Loss.item<double>();
            double b = objective.Compute(ToTensor(x), ToTensor(e)).Loss.item<double>();
            return Math.Abs(a - b) < 1e-9;
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(50));
    }

    [Fact]
    public void Compute_MismatchedShapes_Throws()
    {
        using var objective = new ClipObjective();
        using var scope = NewDisposeScope();
        Assert.Throws<ArgumentException>(() => objective.Compute(randn(4, 8), randn(3, 8)));
    }
}
