using EcgClip.Core.Models;
using EcgClip.Core.Native;
using EcgClip.Core.Training;

namespace EcgClip.Core.Tests.Training;

public sealed class DecayGroupsTests
{
    public DecayGroupsTests() => TorchNativeLoader.EnsureLoaded().ThrowIfFailed();

    [Fact]
    public void Biases_norms_and_the_logit_scale_are_excluded_from_weight_decay()
    {
        using var bundle = TinyTraining.Factory().Create(TinyTraining.Config(), TinyTraining.Reports, 0);
        var (decay, noDecay) = DecayGroups.Split(bundle.Model);
        var decayNames = decay.Select(d => d.Name).ToList();
        var noDecayNames = noDecay.Select(d => d.Name).ToList();
        Assert.Contains("objective.logit_scale", noDecayNames);
        Assert.Contains(noDecayNames, n => n.EndsWith(".bias", StringComparison.Ordinal));
        Assert.Contains(noDecayNames, n => n.Contains("bn", StringComparison.Ordinal) && n.EndsWith(".weight", StringComparison.Ordinal));
        Assert.Contains(decayNames, n => n.StartsWith("ecg.", StringComparison.Ordinal) && n.Contains("conv", StringComparison.Ordinal));
        Assert.Contains(decayNames, n => n.StartsWith("text.", StringComparison.Ordinal));
        Assert.All(decay, d => Assert.True(d.Parameter.dim() >= 2, d.Name));
        Assert.Equal(bundle.Model.parameters().Count(), decay.Count + noDecay.Count);
        using var optimizer = DecayGroups.CreateAdamW(bundle.Model, 1e-3, 0.05);
        Assert.Equal(2, optimizer.ParamGroups.Count());
    }
}
