using EcgClip.Core.Heads;
using EcgClip.Core.Native;
using TorchSharp;
using static TorchSharp.torch;

namespace EcgClip.Core.Tests.Heads;

public sealed class MerlViewHeadsTests
{
    public MerlViewHeadsTests() => TorchNativeLoader.EnsureLoaded().ThrowIfFailed();

    [Fact]
    public void Forward_EvalMode_ViewsAreTheTwoBiasFreeLinearMaps()
    {
        using var heads = new MerlViewHeads(6, 4);
        heads.eval();
        using var scope = NewDisposeScope();
        var p = heads.named_parameters().ToDictionary(x => x.name, x => x.parameter);
        Assert.Equal(["linear1.weight", "linear2.weight"], p.Keys.Order(StringComparer.Ordinal));
        var x = randn(3, 6);
        var (v1, v2) = heads.forward(x);
        Assert.True(v1.allclose(x.matmul(p["linear1.weight"].t()), rtol: 0, atol: 1e-6));
        Assert.True(v2.allclose(x.matmul(p["linear2.weight"].t()), rtol: 0, atol: 1e-6));
    }

    [Fact]
    public void Forward_TrainMode_DropsIndependentlyWithInvertedScaling()
    {
        using var heads = new MerlViewHeads(8, 512, dropout: 0.5);
        heads.train();
        using var scope = NewDisposeScope();
        var x = randn(4, 8);
        var (v1, _) = heads.forward(x);
        heads.eval();
        var (clean1, _) = heads.forward(x);
        var kept = v1.ne(0);
        double zeroFraction = 1 - kept.to_type(float32).mean().item<float>();
        Assert.InRange(zeroFraction, 0.4, 0.6);
        Assert.True(v1.masked_select(kept).allclose(2 * clean1.masked_select(kept), rtol: 1e-5, atol: 1e-6));
    }
}
