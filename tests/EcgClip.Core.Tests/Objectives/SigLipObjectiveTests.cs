using EcgClip.Core.Abstractions;
using EcgClip.Core.Native;
using EcgClip.Core.Objectives;
using FsCheck;
using FsCheck.Fluent;
using TorchSharp;
using static TorchSharp.torch;

namespace EcgClip.Core.Tests.Objectives;

public sealed class SigLipObjectiveTests
{
    public SigLipObjectiveTests() => TorchNativeLoader.EnsureLoaded().ThrowIfFailed();

    [Fact]
    public void Create_Defaults_ScaleLnTenAndBiasMinusTenLearnable()
    {
        using var objective = new SigLipObjective();
        Assert.Equal(Math.Log(10), objective.LogitScale.item<float>(), 6);
        Assert.Equal(-10f, objective.LogitBias.item<float>());
        Assert.True(objective.LogitScale.requires_grad);
        Assert.True(objective.LogitBias.requires_grad);
        Assert.Equal(["logit_bias", "logit_scale"], objective.named_parameters().Select(p => p.name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Compute_OrthogonalPairs_MatchesClosedForm()
    {
        // x̂ = ŷ = I (B = 3): positives have logit t + b, negatives b. L = -1/B [B log σ(t+b) + B(B-1) log σ(-b)].
        using var objective = new SigLipObjective(new ObjectiveOptions { Name = "siglip", Temperature = 0.5, Bias = -1 });
        objective.to(float64);
        using var scope = NewDisposeScope();
        var e = eye(3, dtype: float64);
        double expected = -(Math.Log(Sigmoid(2 - 1)) + 2 * Math.Log(Sigmoid(1)));
        // t′ = ln 2 is initialised in float32, so t = 2 holds to ~1e-8.
        Assert.Equal(expected, objective.Compute(e, e.clone()).Loss.item<double>(), 7);
    }

    [Fact]
    public void Targets_DuplicateGroups_PlusOneOnSharedPositives()
    {
        using var objective = new SigLipObjective();
        using var scope = NewDisposeScope();
        var z = objective.Targets(3, tensor(new long[] { 4, 4, 1 }), float32, CPU);
        Assert.True(z.eq(tensor(new float[,] { { 1, 1, -1 }, { 1, 1, -1 }, { -1, -1, 1 } })).all().item<bool>());
        Assert.True(objective.Targets(2, null, float32, CPU).eq(tensor(new float[,] { { 1, -1 }, { -1, 1 } })).all().item<bool>());
    }

    [Fact]
    public void Compute_SwappedModalities_SameLoss()
    {
        Prop.ForAll(Gen.Choose(1, 8).SelectMany(n => Gen.Choose(1, 1_000_000).Select(seed => (n, seed))).ToArbitrary(), c =>
        {
            using var objective = new SigLipObjective();
            objective.to(float64);
            using var scope = NewDisposeScope();
            var gen = new Generator((ulong)c.seed);
            var e = randn(c.n, 3, float64, generator: gen);
            var t = randn(c.n, 3, float64, generator: gen);
            var groups = randint(0, 3, [c.n], generator: gen);
            double a = objective.Compute(new ContrastiveBatch(e, t) { TextGroups = groups }).Loss.item<double>();
            double b = objective.Compute(new ContrastiveBatch(t, e) { TextGroups = groups }).Loss.item<double>();
            return Math.Abs(a - b) < 1e-9;
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(30));
    }

    [Fact]
    public void Compute_Terms_AreDetachedScalars()
    {
        using var objective = new SigLipObjective();
        using var scope = NewDisposeScope();
        var result = objective.Compute(randn(4, 6, requires_grad: true), randn(4, 6, requires_grad: true));
        Assert.True(result.Loss.requires_grad);
        Assert.All(result.Terms.Values, t => { Assert.False(t.requires_grad); Assert.Equal(0, t.dim()); });
        Assert.Equal(10, result.TermsToDoubles()["logit_scale"], 5);
        Assert.Equal(-10, result.TermsToDoubles()["logit_bias"], 6);
    }

    private static double Sigmoid(double x) => 1 / (1 + Math.Exp(-x));
}
