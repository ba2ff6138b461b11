using EcgClip.Core.Abstractions;
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
        // The scale parameter starts from a float32 value, so the reference uses the scale actually in effect.
        double scale = result.TermsToDoubles()["logit_scale"];
        Assert.Equal(Reference(e, t, scale), result.Loss.item<double>(), 9);
        Assert.Equal(1 / 0.07, scale, 4);
        Assert.InRange(result.TermsToDoubles()["accuracy"], 0, 1);
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

    [Fact]
    public void Compute_AllDistinctGroups_EqualsPlainClipExactly()
    {
        using var objective = new ClipObjective();
        objective.to(float64);
        using var scope = NewDisposeScope();
        var e = randn(7, 5, float64);
        var t = randn(7, 5, float64);
        var groups = tensor(new long[] { 6, 2, 9, 0, 4, 1, 3 });
        var (plain, gPlain) = LossAndGrad(objective, new ContrastiveBatch(e, t));
        var (grouped, gGrouped) = LossAndGrad(objective, new ContrastiveBatch(e, t) { TextGroups = groups });
        Assert.Equal(plain, grouped);
        Assert.True(gPlain.eq(gGrouped).all().item<bool>(), "gradients are bitwise equal");
    }

    [Fact]
    public void Compute_SharedPositivesOff_IgnoresDuplicateGroups()
    {
        using var off = new ClipObjective(new ObjectiveOptions { SharedPositives = false });
        using var on = new ClipObjective(new ObjectiveOptions { SharedPositives = true });
        using var scope = NewDisposeScope();
        var e = randn(6, 4);
        var t = randn(6, 4);
        var groups = tensor(new long[] { 0, 1, 0, 2, 1, 0 });
        double plain = off.Compute(e, t).Loss.item<float>();
        Assert.Equal(plain, off.Compute(new ContrastiveBatch(e, t) { TextGroups = groups }).Loss.item<float>());
        Assert.NotEqual(plain, on.Compute(new ContrastiveBatch(e, t) { TextGroups = groups }).Loss.item<float>());
    }

    [Fact]
    public void Targets_DuplicateGroups_RowsUniformOverSharedPositives()
    {
        using var objective = new ClipObjective();
        using var scope = NewDisposeScope();
        var q = objective.Targets(4, tensor(new long[] { 5, 7, 5, 5 }), float64, CPU);
        double third = 1.0 / 3;
        var expected = tensor(new double[,] { { third, 0, third, third }, { 0, 1, 0, 0 }, { third, 0, third, third }, { third, 0, third, third } });
        Assert.True(q.allclose(expected, rtol: 0, atol: 1e-15));
        Assert.True(objective.Targets(3, null, float64, CPU).eq(eye(3, dtype: float64)).all().item<bool>());
    }

    [Fact]
    public void Compute_SwappingTextsWithinAGroup_ChangesPlainClipButNotSharedPositives()
    {
        // Rows 0 and 2 carry the same report: with shared positives, which of the two texts sits in which row is irrelevant.
        using var objective = new ClipObjective();
        objective.to(float64);
        using var scope = NewDisposeScope();
        var e = randn(4, 3, float64);
        var t = randn(4, 3, float64);
        var swapped = t.index_select(0, tensor(new long[] { 2, 1, 0, 3 }));
        var groups = tensor(new long[] { 0, 1, 0, 2 });
        double Shared(Tensor text) => objective.Compute(new ContrastiveBatch(e, text) { TextGroups = groups }).Loss.item<double>();
        double Plain(Tensor text) => objective.Compute(e, text).Loss.item<double>();
        Assert.Equal(Shared(t), Shared(swapped), 12);
        Assert.NotEqual(Plain(t), Plain(swapped), 6);
    }

    [Fact]
    public void Compute_SwappedModalitiesWithGroups_SameLoss()
    {
        Prop.ForAll(Gen.Choose(2, 9).SelectMany(n => Gen.Choose(1, 1_000_000).Select(seed => (n, seed))).ToArbitrary(), c =>
        {
            var rng = new System.Random(c.seed);
            double[,] e = Random2D(rng, c.n, 4), x = Random2D(rng, c.n, 4);
            var groups = Enumerable.Range(0, c.n).Select(_ => (long)rng.Next(3)).ToArray();
            using var objective = new ClipObjective();
            objective.to(float64);
            using var scope = NewDisposeScope();
            var g = tensor(groups);
            double a = objective.Compute(new ContrastiveBatch(ToTensor(e), ToTensor(x)) { TextGroups = g }).Loss.item<double>();
            double b = objective.Compute(new ContrastiveBatch(ToTensor(x), ToTensor(e)) { TextGroups = g }).Loss.item<double>();
            return Math.Abs(a - b) < 1e-9;
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(50));
    }

    [Fact]
    public void Compute_WrongGroupShape_ThrowsNamingShape()
    {
        using var objective = new ClipObjective();
        using var scope = NewDisposeScope();
        var ex = Assert.Throws<ArgumentException>(() => objective.Compute(new ContrastiveBatch(randn(4, 8), randn(4, 8)) { TextGroups = tensor(new long[] { 0, 1, 2 }) }));
        Assert.Contains("[3]", ex.Message);
    }

    [Fact]
    public void Compute_InsideScope_LeavesNoLiveTensors()
    {
        using var objective = new ClipObjective();
        var e = randn(5, 4, requires_grad: true);
        var t = randn(5, 4, requires_grad: true);
        var groups = tensor(new long[] { 0, 1, 0, 2, 2 });
        long before = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        using (var scope = NewDisposeScope())
        {
            var result = objective.Compute(new ContrastiveBatch(e, t) { TextGroups = groups });
            result.Loss.backward();
            _ = result.TermsToDoubles();
        }
        Assert.Equal(before, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
        foreach (var x in new[] { e, t, groups }) x.Dispose();
    }

    private static (double Loss, Tensor Grad) LossAndGrad(ClipObjective objective, ContrastiveBatch batch)
    {
        var e = batch.EcgEmbeddings.detach().requires_grad_();
        var loss = objective.Compute(batch with { EcgEmbeddings = e }).Loss;
        loss.backward();
        return (loss.item<double>(), e.grad!.clone());
    }
}
