using EcgClip.Core.Native;
using EcgClip.Core.Training.Optimization;
using TorchSharp;
using TorchSharp.Modules;

namespace EcgClip.Core.Tests.Training.Optimization;

public sealed class AdamWParameterGroupsTests
{
    public AdamWParameterGroupsTests()
    {
        TorchNativeLoader.EnsureLoaded().ThrowIfFailed();
        torch.set_num_threads(1);
    }

    [Fact]
    public void Create_ExemptsBiasesNormsScalarsAndLogitScale_AndSkipsFrozen()
    {
        using var model = new TinyModel(seed: 1);
        using var groups = AdamWParameterGroups.Create(model, lr: 1e-3, weightDecay: 0.1);

        Assert.Equal(["conv.weight", "fc.weight"], groups.Decay.Order(StringComparer.Ordinal));
        Assert.Equal(["bn.bias", "bn.weight", "conv.bias", "fc.bias", "ln.bias", "ln.weight", "logit_scale"], groups.NoDecay.Order(StringComparer.Ordinal));
        Assert.DoesNotContain("frozen_table", groups.Decay.Concat(groups.NoDecay));

        var pg = groups.Optimizer.ParamGroups.Cast<AdamW.ParamGroup>().ToList();
        Assert.Equal(2, pg.Count);
        Assert.Equal(0.1, pg[0].Options.weight_decay);
        Assert.Equal(0.0, pg[1].Options.weight_decay);
        Assert.Equal(groups.Decay.Count, pg[0].Parameters.Count());
        Assert.Equal(groups.NoDecay.Count, pg[1].Parameters.Count());
        Assert.All(pg, g => Assert.Equal((0.9, 0.999), g.Betas));
        Assert.Contains("2 tensors with weight decay, 7 without", groups.Describe(), StringComparison.Ordinal);
        Assert.Same(groups, groups.Optimizer);
        Assert.IsAssignableFrom<torch.optim.Optimizer>(groups);
    }

    [Fact]
    public void Create_ExemptsATwoDimensionalLogitBias_ByName()
    {
        using var m = new NamedParameters(("proj_weight", 2), ("logit_bias_table", 2), ("scale", 1));
        using var groups = AdamWParameterGroups.Create(m, lr: 1e-3, weightDecay: 0.01);
        Assert.Equal(["proj_weight"], groups.Decay);
        Assert.Equal(["logit_bias_table", "scale"], groups.NoDecay);
    }

    [Fact]
    public void Create_DecayShrinksOnlyTheDecayGroup()
    {
        using var model = new TinyModel(seed: 1);
        using var groups = AdamWParameterGroups.Create(model, lr: 0.1, weightDecay: 0.5);
        var before = model.named_parameters().ToDictionary(p => p.name, p => p.parameter.detach().clone());
        foreach (var p in model.parameters()) p.grad = torch.zeros_like(p); // zero gradient: only decoupled decay moves weights
        groups.Optimizer.step();
        foreach (var (name, p) in model.named_parameters())
        {
            if (!p.requires_grad) continue;
            double ratio = groups.Decay.Contains(name) ? 1 - 0.1 * 0.5 : 1.0;
            Assert.True(torch.allclose(p, before[name] * ratio, rtol: 1e-6, atol: 1e-7), name);
        }
    }

    [Fact]
    public void Create_RejectsBadHyperParameters()
    {
        using var model = new TinyModel(seed: 1);
        Assert.Throws<ArgumentException>(() => AdamWParameterGroups.Create(model, lr: -1, weightDecay: 0));
        Assert.Throws<ArgumentException>(() => AdamWParameterGroups.Create(model, lr: 1e-3, weightDecay: double.NaN));
        Assert.Throws<ArgumentException>(() => AdamWParameterGroups.Create(model, lr: 1e-3, weightDecay: 0, beta1: 1.0));
    }

    private sealed class NamedParameters : torch.nn.Module
    {
        public NamedParameters(params (string Name, int Dims)[] parameters) : base(nameof(NamedParameters))
        {
            foreach (var (name, dims) in parameters)
                register_parameter(name, torch.nn.Parameter(dims == 2 ? torch.ones(2, 2) : torch.ones(2)));
        }
    }
}
